using LoanOffice.Data;
using LoanOffice.Data.Auditing;
using LoanOffice.Domain.Applications;
using LoanOffice.Domain.Common;
using LoanOffice.Domain.Organisation;
using LoanOffice.Web.Security;
using Microsoft.EntityFrameworkCore;

namespace LoanOffice.Web.Hosting;

/// <summary>
/// What every command needs (origination, servicing, reports — a cross-cutting actor context): the acting user as the domain sees them (roles from the database, not
/// the cookie), their data scope, a clock, a short-lived DbContext, and the conversion of a lost optimistic-
/// concurrency race into "changed by someone else".
/// </summary>
public sealed class ActorContext(
    CurrentUser currentUser,
    DataScopeService scopes,
    IDbContextFactory<LoanOfficeDbContext> dbFactory,
    IAuditContext audit,
    TimeProvider clock,
    Microsoft.Extensions.Options.IOptions<NetworkOptions> network)
{
    /// <summary>
    /// Refuses <paramref name="action"/> (an <see cref="IntranetActions"/> name) from outside the company's networks,
    /// and audits the refusal; null when it may go on.
    /// </summary>
    public async Task<Error?> RequireIntranetAsync(string action, string entityType, Guid entityId, CancellationToken ct = default)
    {
        if (network.Value.Policy.Allows(audit.ClientIp)) return null;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.AuditEntries.Add(new AuditEntry
        {
            OccurredAt = clock.GetUtcNow(), Actor = audit.Actor, ClientIp = audit.ClientIp, EntityType = entityType, EntityKey = entityId.ToString(),
            Action = "IntranetRefused", Changes = System.Text.Json.JsonSerializer.Serialize(new { action }),
        });
        await db.SaveChangesAsync(ct);
        return Error.Of(ErrorCodes.IntranetOnly, audit.ClientIp ?? "");
    }

    public TimeProvider Clock => clock;
    public DateTimeOffset Now => clock.GetUtcNow();

    /// <summary>Who the audit trail names for this request or circuit ("user:gm", "user:gm@token:feed").</summary>
    public string AuditActor => audit.Actor;

    public Task<LoanOfficeDbContext> OpenAsync(CancellationToken ct = default) => dbFactory.CreateDbContextAsync(ct);

    public Task<DataScope> ScopeAsync(CancellationToken ct = default) => scopes.GetAsync(ct);

    /// <summary>The signed-in staff member as an <see cref="Actor"/>, or null when nobody is signed in.</summary>
    public async Task<Actor?> ActorAsync(CancellationToken ct = default)
    {
        if (await currentUser.GetIdAsync() is not { } id) return null;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var user = await db.Users.AsNoTracking().Where(u => u.Id == id).Select(u => new { u.UserName, u.DisplayName }).SingleOrDefaultAsync(ct);
        if (user is null) return null;
        var roles = await (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id where ur.UserId == id select r.Name!).ToListAsync(ct);
        return new Actor(id, user.DisplayName + " (" + user.UserName + ")", roles.ToHashSet(), audit.ClientIp);
    }

    public static Error NotSignedIn => Error.Of(ErrorCodes.AccountNotSignedIn);

    public static Error OutOfScope => Error.Of(ErrorCodes.ApplicationOutOfScope);

    public static Error NotFound => Error.Of(ErrorCodes.ApplicationNotFound);

    /// <summary>Saves; a lost race becomes "changed by X at T — reload" naming who moved the file last.</summary>
    public async Task<Result> SaveAsync(LoanOfficeDbContext db, Guid applicationId, CancellationToken ct = default)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return Result.Success();
        }
        catch (DbUpdateConcurrencyException)
        {
            return await ConflictAsync(applicationId, ct);
        }
        catch (DbUpdateException ex) when (ex.InnerException is Npgsql.PostgresException { SqlState: "23505" } pg)
        {
            return Error.Of(ErrorCodes.ApplicationDuplicateConflict, pg.ConstraintName ?? "");
        }
    }

    /// <summary>"Changed by X at T — reload", naming who moved the file last.</summary>
    public async Task<Error> ConflictAsync(Guid applicationId, CancellationToken ct = default)
    {
        await using var fresh = await dbFactory.CreateDbContextAsync(ct);
        var last = await fresh.ApplicationTransitions.AsNoTracking().Where(t => t.ApplicationId == applicationId)
            .OrderByDescending(t => t.At).Select(t => new { t.ActorName, t.At }).FirstOrDefaultAsync(ct);
        var who = last is null ? "—" : $"{last.ActorName} ({Components.Shared.Fmt.DateTime(last.At)})";
        return Error.Of(ErrorCodes.ApplicationChanged, who);
    }

    /// <summary>Loads an application for a command: it must exist, be in scope, and still be at the version the user saw.</summary>
    public async Task<(LoanApplication? Application, Error? Error)> LoadForCommandAsync(LoanOfficeDbContext db, Guid id, uint? expectedVersion, CancellationToken ct = default)
    {
        var app = await db.Applications.Include(a => a.Transitions).SingleOrDefaultAsync(a => a.Id == id, ct);
        if (app is null) return (null, NotFound);
        if (app.ClaimedBy is { } holder)
        {
            var activeUntil = await db.ClaimHeartbeats.Where(h => h.ApplicationId == id && h.UserId == holder).Select(h => (DateTimeOffset?)h.ExpiresAt).SingleOrDefaultAsync(ct);
            if (activeUntil is { } until) app.ExtendClaim(holder, until);
        }

        var scope = await scopes.GetAsync(ct);
        if (!MaySee(scope, app.TeamId, app.AssignedOfficerId, app.State)) return (null, OutOfScope);
        if (expectedVersion is { } v)
        {
            // the user acted on what they saw: if it changed since, say so before judging the move itself
            if (app.Version != v) return (null, await ConflictAsync(id, ct));
            db.Entry(app).Property(a => a.Version).OriginalValue = v;
        }
        return (app, null);
    }

    /// <summary>Whether a file is within the caller's scope: by team/assignment, or waiting in one of their teams' pools.</summary>
    public static bool MaySee(DataScope scope, Guid teamId, Guid? assignedOfficerId, ApplicationState state) =>
        scope.CanSee(teamId, assignedOfficerId) || (state == ApplicationState.Pool && scope.TeamIds.Contains(teamId));

    /// <summary>Numbers from PostgreSQL sequences: gap-tolerant, unique across app instances.</summary>
    public static async Task<string> NextApplicationNumberAsync(LoanOfficeDbContext db, DateTimeOffset now, CancellationToken ct = default) =>
        "SQ" + Components.Shared.Fmt.ToChina(now).ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture)
             + (await ApplicationNumbers.GetOrAdd(db.Database.GetConnectionString() ?? "",
                    _ => new SequenceBlock("application_number_seq", LoanOfficeDbContext.ApplicationNumberBlock)).NextAsync(db, ct))
                .ToString("D6", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Application numbers are taken from the sequence in blocks (it increments by the block size), so intake needs a
    /// round trip for a number only once per block. Unique across instances; a restart leaves a gap, as sequences do.
    /// One block per database: a process that serves several (the tests do) never hands one database's numbers to another.
    /// </summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, SequenceBlock> ApplicationNumbers = new();

    public static async Task<string> NextContractNumberAsync(LoanOfficeDbContext db, DateTimeOffset now, CancellationToken ct = default) =>
        "HT" + Components.Shared.Fmt.ToChina(now).ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture)
             + (await db.Database.SqlQueryRaw<long>("SELECT nextval('contract_number_seq') AS \"Value\"").SingleAsync(ct)).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);

    public static async Task<string> NextLoanNumberAsync(LoanOfficeDbContext db, DateTimeOffset now, CancellationToken ct = default) =>
        "JJ" + Components.Shared.Fmt.ToChina(now).ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture)
             + (await db.Database.SqlQueryRaw<long>("SELECT nextval('loan_number_seq') AS \"Value\"").SingleAsync(ct)).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>Hands out the values of a sequence that increments by <paramref name="size"/>: [v, v + size) per nextval.</summary>
public sealed class SequenceBlock(string sequence, int size) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private long _next;
    private long _end;

    public async Task<long> NextAsync(LoanOfficeDbContext db, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            if (_next >= _end)
            {
                var start = await db.Database.SqlQuery<long>($"SELECT nextval({sequence}::regclass) AS \"Value\"").SingleAsync(ct);
                (_next, _end) = (start, start + size);
            }

            return _next++;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();
}
