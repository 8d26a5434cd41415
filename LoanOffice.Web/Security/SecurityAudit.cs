using LoanOffice.Data;
using LoanOffice.Data.Auditing;
using Microsoft.EntityFrameworkCore;

namespace LoanOffice.Web.Security;

/// <summary>
/// Security events in the audit trail, where compliance reads them (the Audit page's action filter): sign-ins and
/// failed ones, lockouts, refusals of authorization, two-factor enrolment, failures and recovery codes used.
/// </summary>
public sealed class SecurityAudit(IDbContextFactory<LoanOfficeDbContext> dbFactory, IAuditContext audit, TimeProvider clock)
{
    public const string SignedIn = "SignedIn";
    public const string SignInFailed = "SignInFailed";
    public const string LockedOut = "LockedOut";
    public const string Forbidden = "Forbidden";
    public const string TwoFactorEnabled = "TwoFactorEnabled";
    public const string TwoFactorFailed = "TwoFactorFailed";
    public const string RecoveryCodeUsed = "RecoveryCodeUsed";
    public const string RecoveryCodesNew = "RecoveryCodesNew";

    /// <summary>Every action this class writes (the Audit page offers them as filters).</summary>
    public static readonly string[] Actions = [SignedIn, SignInFailed, LockedOut, Forbidden, TwoFactorEnabled, TwoFactorFailed, RecoveryCodeUsed, RecoveryCodesNew];

    /// <summary>Records <paramref name="action"/> on the account <paramref name="account"/> (the user name as typed, at most 100 characters).</summary>
    public async Task RecordAsync(string action, string account, object? details = null, string? actor = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.AuditEntries.Add(new AuditEntry
        {
            OccurredAt = clock.GetUtcNow(), Actor = actor ?? audit.Actor, ClientIp = audit.ClientIp, EntityType = "Account",
            EntityKey = account.Length > 100 ? account[..100] : account, Action = action,
            Changes = details is null ? "{}" : System.Text.Json.JsonSerializer.Serialize(details),
        });
        await db.SaveChangesAsync(ct);
    }
}
