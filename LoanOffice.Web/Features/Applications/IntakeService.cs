using LoanOffice.Web.Hosting;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LoanOffice.Data;
using LoanOffice.Data.Origination;
using LoanOffice.Data.Security;
using LoanOffice.Domain.Applications;
using LoanOffice.Domain.Common;
using LoanOffice.Domain.Loans;
using Loan = LoanOffice.Data.Origination.Loan;
using LoanOffice.Domain.Validation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace LoanOffice.Web.Features.Applications;

/// <summary>An application as a customer or a channel submits it.</summary>
public sealed record IntakeRequest(
    string? Name, string? ResidentId, string? Mobile, string? District, string? ProductCode,
    decimal? Amount, int? Months, string? Purpose, bool Consent, string? Method = null);

public sealed record IntakeReceipt(Guid ApplicationId, string Number, bool Replayed);

/// <summary>
/// Intake (进件) from the public page and from channel systems: validates (GB 11643, mobile, product ranges),
/// deduplicates the customer by resident ID (keyed hash), routes by district to a team's pool, all in one
/// transaction; an Idempotency-Key makes a retried submission return the first application instead of a second.
/// </summary>
public sealed class IntakeService(IDbContextFactory<LoanOfficeDbContext> dbFactory, PersonalDataProtector pii, TimeProvider clock,
    Microsoft.Extensions.Caching.Memory.IMemoryCache cache, Data.Auditing.IAuditContext caller)
{
    public Task<Result<IntakeReceipt>> SubmitAsync(IntakeRequest request, string channel, string? idempotencyKey, CancellationToken ct = default) =>
        SubmitAsync(request, channel, idempotencyKey, retried: false, ct);

    private async Task<Result<IntakeReceipt>> SubmitAsync(IntakeRequest request, string channel, string? idempotencyKey, bool retried, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var validated = Validate(request, DateOnly.FromDateTime(Components.Shared.Fmt.ToChina(now).DateTime));
        if (!validated.IsSuccess) return validated.Error!;
        var (name, residentId, mobile, district, purpose) = validated.Value!;
        var requestHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(request))));

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // the intake's rows are audited with the address the submission came from (the public page's browser or the channel)
        db.AuditContext = new Data.Auditing.SystemAuditContext("intake:" + channel, caller.ClientIp);
        if (idempotencyKey is not null)
        {
            if (idempotencyKey.Length is 0 or > 100) return Error.Of(ErrorCodes.IntakeIdempotencyKeyLength).At("Idempotency-Key");
            var previous = await Replay(db, channel, idempotencyKey, requestHash, ct);
            if (previous is not null) return previous;
        }

        // products and routes change rarely: a one-minute cache saves two queries per submission
        var product = await Cached("product:" + request.ProductCode, () => db.Products.AsNoTracking().SingleOrDefaultAsync(p => p.Code == request.ProductCode && p.Active, ct));
        if (product is null) return Error.Of(ErrorCodes.IntakeUnknownProduct, request.ProductCode ?? "").At("productCode");
        var rules = product.ToDomain();
        var method = request.Method is null ? rules.Methods[0] : Enum.TryParse<RepaymentMethod>(request.Method, out var m) ? m : (RepaymentMethod)(-1);
        var check = rules.CheckRequest(request.Amount!.Value, request.Months!.Value, rules.MinAnnualRate, method);
        if (!check.IsSuccess) return check.Error!;

        var route = await Cached("route:" + district, () => db.DistrictRoutes.AsNoTracking().SingleOrDefaultAsync(r => r.District == district, ct));
        if (route is null) return Error.Of(ErrorCodes.IntakeDistrictNotServed, district).At("district");

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var idHash = pii.LookupHash(residentId);
        var customer = await db.Customers.SingleOrDefaultAsync(c => c.ResidentIdHash == idHash, ct);
        if (customer is null)
        {
            customer = new Customer
            {
                Id = Guid.CreateVersion7(),
                Name = name,
                ResidentIdCipher = pii.Encrypt(residentId),
                ResidentIdHash = idHash,
                ResidentIdMasked = ResidentId.Mask(residentId),
                MobileCipher = pii.Encrypt(mobile),
                MobileHash = pii.LookupHash(mobile),
                MobileMasked = MobileNumber.Mask(mobile),
                District = district,
                TeamId = route.TeamId,
                CreatedAt = now,
            };
            db.Customers.Add(customer);
        }

        var number = await ActorContext.NextApplicationNumberAsync(db, now, ct);
        var app = LoanApplication.Receive(number, customer.Id, name, district, channel, product.Id, product.Code,
            request.Amount.Value, request.Months.Value, rules.MinAnnualRate, method, purpose, now);
        var routed = app.RouteTo(route.TeamId, Actor.System("intake:" + channel), now);
        if (!routed.IsSuccess) return routed.Error!;
        db.Applications.Add(app);
        if (idempotencyKey is not null)
            db.IdempotencyKeys.Add(new IdempotencyRecord { Channel = channel, Key = idempotencyKey, RequestHash = requestHash, ApplicationId = app.Id, CreatedAt = now });
        try
        {
            // no NOTIFY: a new file lands in the team pool, which no live queue shows
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.InnerException is Npgsql.PostgresException { SqlState: "23505", ConstraintName: var constraint }
                                           && constraint?.Contains("ResidentIdHash", StringComparison.Ordinal) == true && !retried)
        {
            // the customer's first two files arrived at once and the other request created the customer: this one
            // starts again and finds them (the upsert of the customer, audited like any insert)
            await tx.RollbackAsync(ct);
            return await SubmitAsync(request, channel, idempotencyKey, retried: true, ct);
        }
        catch (DbUpdateException ex) when (ex.InnerException is Npgsql.PostgresException { SqlState: "23505" } && idempotencyKey is not null)
        {
            // the same key won a race in another request: answer with its application
            await tx.RollbackAsync(ct);
            await using var again = await dbFactory.CreateDbContextAsync(ct);
            return await Replay(again, channel, idempotencyKey, requestHash, ct) ?? Error.Of(ErrorCodes.IntakeRetry);
        }

        return new IntakeReceipt(app.Id, app.Number, false);
    }

    private async Task<T?> Cached<T>(string key, Func<Task<T?>> load) where T : class
    {
        if (cache.TryGetValue(key, out T? hit)) return hit;
        var value = await load();
        if (value is not null) cache.Set(key, value, TimeSpan.FromMinutes(1));
        return value;
    }

    /// <summary>The active channel holding this API key, cached for a minute (deactivation takes effect within it).</summary>
    public async Task<string?> ChannelOfKeyAsync(string apiKey, CancellationToken ct = default)
    {
        var cacheKey = "channel:" + Convert.ToHexStringLower(HashApiKey(apiKey));
        if (cache.TryGetValue(cacheKey, out string? code)) return code;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var hash = HashApiKey(apiKey);
        code = await db.IntakeChannels.AsNoTracking().Where(c => c.KeyHash == hash && c.Active).Select(c => c.Code).SingleOrDefaultAsync(ct);
        if (code is not null) cache.Set(cacheKey, code, TimeSpan.FromMinutes(1));
        return code;
    }

    private static async Task<Result<IntakeReceipt>?> Replay(LoanOfficeDbContext db, string channel, string key, string requestHash, CancellationToken ct)
    {
        var previous = await db.IdempotencyKeys.AsNoTracking().SingleOrDefaultAsync(k => k.Channel == channel && k.Key == key, ct);
        if (previous is null) return null;
        if (previous.RequestHash != requestHash)
            return Error.Of(ErrorCodes.IntakeIdempotencyConflict).At("Idempotency-Key");
        var number = await db.Applications.Where(a => a.Id == previous.ApplicationId).Select(a => a.Number).SingleAsync(ct);
        return new IntakeReceipt(previous.ApplicationId, number, true);
    }

    private static Result<(string Name, string ResidentId, string Mobile, string District, string Purpose)> Validate(IntakeRequest r, DateOnly today)
    {
        // every field is checked, so the form shows all that is wrong at once
        var errors = new List<Error>();
        // the page's form reaches here without the API's input guard: a control character is refused by field as well
        foreach (var (field, text) in new[] { ("name", r.Name), ("residentId", r.ResidentId), ("mobile", r.Mobile), ("district", r.District), ("productCode", r.ProductCode), ("purpose", r.Purpose), ("method", r.Method) })
            if (TextInput.HasControl(text)) return TextInput.Refusal(field);
        var name = (r.Name ?? string.Empty).Trim();
        if (name.Length is < 2 or > 50) errors.Add(Error.Of(ErrorCodes.IntakeName).At("name"));
        var id = ResidentId.Validate(r.ResidentId, today);
        if (!id.IsSuccess) errors.Add(id.Error!);
        var mobile = MobileNumber.Validate(r.Mobile);
        if (!mobile.IsSuccess) errors.Add(mobile.Error!);
        var district = (r.District ?? string.Empty).Trim();
        if (district.Length == 0) errors.Add(Error.Of(ErrorCodes.IntakeDistrict).At("district"));
        if (string.IsNullOrWhiteSpace(r.ProductCode)) errors.Add(Error.Of(ErrorCodes.IntakeProduct).At("productCode"));
        if (r.Amount is null) errors.Add(Error.Of(ErrorCodes.IntakeAmount).At("amount"));
        else if (r.Amount <= 0m) errors.Add(Error.Of(ErrorCodes.AmountNotPositive).At("amount"));
        else if (decimal.Round(r.Amount.Value, 2) != r.Amount.Value) errors.Add(Error.Of(ErrorCodes.AmountNotInFen).At("amount"));
        if (r.Months is null or < 1) errors.Add(Error.Of(ErrorCodes.IntakeMonths).At("months"));
        var purpose = (r.Purpose ?? string.Empty).Trim();
        if (purpose.Length is < 2 or > 500) errors.Add(Error.Of(ErrorCodes.IntakePurpose).At("purpose"));
        if (!r.Consent) errors.Add(Error.Of(ErrorCodes.IntakeConsent).At("consent"));
        if (Error.Combine(errors) is { } invalid) return invalid;
        return (name, id.Value!, mobile.Value!, district, purpose);
    }

    public sealed record ProductOption(string Code, string Name, decimal MinAmount, decimal MaxAmount, int MinMonths, int MaxMonths);

    /// <summary>What the public form offers: active products and served districts.</summary>
    public async Task<(IReadOnlyList<ProductOption> Products, IReadOnlyList<string> Districts)> FormOptionsAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var products = await db.Products.AsNoTracking().Where(p => p.Active).OrderBy(p => p.Code)
            .Select(p => new ProductOption(p.Code, p.Name, p.MinAmount, p.MaxAmount, p.MinMonths, p.MaxMonths)).ToListAsync(ct);
        var districts = await db.DistrictRoutes.AsNoTracking().OrderBy(r => r.District).Select(r => r.District).ToListAsync(ct);
        return (products, districts);
    }

    /// <summary>The hash stored for a channel's API key (the key itself is never stored).</summary>
    public static byte[] HashApiKey(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
