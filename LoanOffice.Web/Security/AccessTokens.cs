using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using LoanOffice.Data;
using LoanOffice.Data.Identity;
using LoanOffice.Domain.Common;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LoanOffice.Web.Security;

/// <summary>A token as its lists show it (never the secret).</summary>
public sealed record AccessTokenRow(Guid Id, string Name, string Prefix, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset ExpiresAt,
    DateTimeOffset? RevokedAt, DateTimeOffset? LastUsedAt);

/// <summary>
/// Personal access tokens for integrations: made by an admin for a user (or by <c>./loanoffice token create</c>),
/// shown once, kept as a SHA-256, expiring, revocable, with the time of their last use. A request bearing one acts as
/// its user (roles, data scope) and is audited with the token's name.
/// </summary>
public sealed class AccessTokens(IDbContextFactory<LoanOfficeDbContext> dbFactory, TimeProvider clock)
{
    public const string Prefix = "lo_";
    public const int MaxDays = 366;
    public const string TokenClaim = "lo:token";

    public static byte[] HashOf(string secret) => SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret));

    /// <summary>Makes a token for a user; answers the secret (shown once) with the stored row.</summary>
    public async Task<Result<(string Secret, AccessTokenRow Token)>> CreateAsync(string? userName, string? name, int? days, string createdBy, CancellationToken ct = default)
    {
        var errors = new List<Error>();
        if (string.IsNullOrWhiteSpace(userName)) errors.Add(Error.Of(ErrorCodes.Required, "user").At("user"));
        if (string.IsNullOrWhiteSpace(name)) errors.Add(Error.Of(ErrorCodes.Required, "tokenName").At("name"));
        else if (name.Trim().Length > 100) errors.Add(Error.Of(ErrorCodes.TokenNameTooLong, 100).At("name"));
        if (days is not null && (days < 1 || days > MaxDays)) errors.Add(Error.Of(ErrorCodes.TokenDaysOutOfRange, MaxDays).At("days"));
        if (Error.Combine(errors) is { } invalid) return invalid;

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.UserName == userName!.Trim(), ct);
        if (user is null) return Error.Of(ErrorCodes.TokenUserNotFound, userName!.Trim()).At("user");
        var label = name!.Trim();
        if (await db.AccessTokens.AnyAsync(t => t.Name == label && t.RevokedAt == null, ct)) return Error.Of(ErrorCodes.TokenNameTaken, label).At("name");
        var secret = Prefix + Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        var now = clock.GetUtcNow();
        var token = new AccessToken
        {
            Id = Guid.CreateVersion7(), UserId = user.Id, Name = label, Prefix = secret[..10], Hash = HashOf(secret),
            CreatedAt = now, CreatedBy = createdBy, ExpiresAt = now.AddDays(days ?? 90),
        };
        db.AccessTokens.Add(token);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.InnerException is Npgsql.PostgresException { SqlState: "23505" })
        {
            return Error.Of(ErrorCodes.TokenNameTaken, label).At("name");
        }
        return (secret, Row(token));
    }

    public async Task<Result> RevokeAsync(string? name, string revokedBy, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(name)) return Error.Of(ErrorCodes.Required, "tokenName").At("name");
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var token = await db.AccessTokens.SingleOrDefaultAsync(t => t.Name == name.Trim() && t.RevokedAt == null, ct);
        if (token is null) return Error.Of(ErrorCodes.TokenNotFound, name.Trim());
        token.RevokedAt = clock.GetUtcNow();
        token.RevokedBy = revokedBy;
        await db.SaveChangesAsync(ct);
        return Result.Success();
    }

    public async Task<IReadOnlyList<AccessTokenRow>> OfUserAsync(Guid userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.AccessTokens.AsNoTracking().Where(t => t.UserId == userId).OrderByDescending(t => t.CreatedAt).ToListAsync(ct);
        return rows.Select(Row).ToList();
    }

    /// <summary>The token a secret belongs to, when it is neither revoked nor expired; its last use is noted (not audited).</summary>
    public async Task<AccessToken?> ValidateAsync(string secret, CancellationToken ct = default)
    {
        if (!secret.StartsWith(Prefix, StringComparison.Ordinal)) return null;
        var hash = HashOf(secret);
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var token = await db.AccessTokens.AsNoTracking().SingleOrDefaultAsync(t => t.Hash == hash, ct);
        if (token is null || token.RevokedAt is not null || token.ExpiresAt <= now) return null;
        if (token.LastUsedAt is null || token.LastUsedAt < now.AddMinutes(-1))
            await db.AccessTokens.Where(t => t.Id == token.Id).ExecuteUpdateAsync(u => u.SetProperty(t => t.LastUsedAt, now), ct);
        return token;
    }

    private static AccessTokenRow Row(AccessToken t) => new(t.Id, t.Name, t.Prefix, t.CreatedAt, t.CreatedBy, t.ExpiresAt, t.RevokedAt, t.LastUsedAt);

    private static string Base64UrlEncode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>
/// <c>Authorization: Bearer lo_…</c>: the token's user, signed in for this request only (a locked user's token does
/// not work), with the token's name as a claim for the audit trail.
/// </summary>
public sealed class AccessTokenHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    AccessTokens tokens, UserManager<AppUser> users, SignInManager<AppUser> signIn)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "AccessToken";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.NoResult();
        var token = await tokens.ValidateAsync(header["Bearer ".Length..].Trim(), Context.RequestAborted);
        if (token is null) return AuthenticateResult.Fail("invalid token");
        var user = await users.FindByIdAsync(token.UserId.ToString());
        if (user is null || await users.IsLockedOutAsync(user)) return AuthenticateResult.Fail("user locked");
        var principal = await signIn.CreateUserPrincipalAsync(user);
        ((ClaimsIdentity)principal.Identity!).AddClaim(new Claim(AccessTokens.TokenClaim, token.Name));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        return Task.CompletedTask;
    }
}
