using LoanOffice.Data.Identity;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Caching.Memory;

namespace LoanOffice.Web.Security;

public enum SignInOutcome { Success, Invalid, LockedOut, SecondFactorRequired }

/// <summary>
/// Outcome of checking credentials; on success a one-minute ticket the browser redeems for the cookie; when the
/// account has two-factor sign-in, a five-minute token for <see cref="ISignInService.CheckSecondFactorAsync"/> instead.
/// </summary>
public sealed record SignInAttempt(SignInOutcome Outcome, string? Ticket = null);

public interface ISignInService
{
    Task<SignInAttempt> CheckAsync(string userName, string password);

    /// <summary>The second step: the authenticator app's 6-digit code, or one of the account's recovery codes.</summary>
    Task<SignInAttempt> CheckSecondFactorAsync(string pending, string code);
}

/// <summary>
/// Checks credentials inside the interactive sign-in page (a circuit cannot set cookies), counting failures and
/// locking out after 5. Unknown user names are treated exactly like known ones — same message, same lockout after
/// 5 attempts, same hashing cost — so the page never reveals whether a name exists.
/// </summary>
public sealed class SignInService(
    UserManager<AppUser> users,
    IPasswordHasher<AppUser> hasher,
    IMemoryCache cache,
    LoginTickets tickets,
    SecurityAudit audit) : ISignInService
{
    private static readonly AppUser Phantom = new() { UserName = "phantom" };
    private static string? _phantomHash;

    public async Task<SignInAttempt> CheckAsync(string userName, string password)
    {
        userName = userName.Trim();
        var user = string.IsNullOrEmpty(userName) ? null : await users.FindByNameAsync(userName);
        if (user is null)
        {
            var unknown = UnknownUser(userName, password);
            await audit.RecordAsync(unknown.Outcome == SignInOutcome.LockedOut ? SecurityAudit.LockedOut : SecurityAudit.SignInFailed, userName, new { known = false });
            return unknown;
        }

        if (await users.IsLockedOutAsync(user))
        {
            // Identity answers a locked account without hashing: the same work as for any other name, so the time
            // taken does not tell a locked real account from an unknown name
            HashLikeARealCheck(password);
            await audit.RecordAsync(SecurityAudit.LockedOut, userName);
            return new SignInAttempt(SignInOutcome.LockedOut);
        }

        // the password checked here, not by SignInManager (it asks the HttpContext about remembered two-factor clients,
        // and a circuit has none); five failures lock the account as Identity's lockout options say
        if (await users.CheckPasswordAsync(user, password))
        {
            if (await users.GetTwoFactorEnabledAsync(user)) return new SignInAttempt(SignInOutcome.SecondFactorRequired, tickets.IssuePending(user));
            await users.ResetAccessFailedCountAsync(user);
            await audit.RecordAsync(SecurityAudit.SignedIn, userName, actor: "user:" + user.UserName);
            return new SignInAttempt(SignInOutcome.Success, tickets.Issue(user));
        }

        await users.AccessFailedAsync(user);
        var locked = await users.IsLockedOutAsync(user);
        await audit.RecordAsync(locked ? SecurityAudit.LockedOut : SecurityAudit.SignInFailed, userName);
        if (!locked) return new SignInAttempt(SignInOutcome.Invalid);
        // locked now: every open session of the account ends at its next request
        await users.UpdateSecurityStampAsync(user);
        return new SignInAttempt(SignInOutcome.LockedOut);
    }

    public async Task<SignInAttempt> CheckSecondFactorAsync(string pending, string code)
    {
        var redeemed = tickets.RedeemPending(pending);
        var user = redeemed is null ? null : await users.FindByIdAsync(redeemed.Value.UserId.ToString());
        if (user is null || user.SecurityStamp != redeemed!.Value.Stamp) return new SignInAttempt(SignInOutcome.Invalid);
        if (await users.IsLockedOutAsync(user))
        {
            await audit.RecordAsync(SecurityAudit.LockedOut, user.UserName!);
            return new SignInAttempt(SignInOutcome.LockedOut);
        }

        var normalized = new string((code ?? string.Empty).Where(char.IsLetterOrDigit).ToArray());
        var ok = normalized.Length == 6 && normalized.All(char.IsAsciiDigit)
            ? await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, normalized)
            : normalized.Length > 0 && (await users.RedeemTwoFactorRecoveryCodeAsync(user, (code ?? string.Empty).Trim())).Succeeded;
        if (ok)
        {
            await users.ResetAccessFailedCountAsync(user);
            if (normalized.Length != 6)
                await audit.RecordAsync(SecurityAudit.RecoveryCodeUsed, user.UserName!, new { left = await users.CountRecoveryCodesAsync(user) }, "user:" + user.UserName);
            await audit.RecordAsync(SecurityAudit.SignedIn, user.UserName!, new { secondFactor = true }, "user:" + user.UserName);
            return new SignInAttempt(SignInOutcome.Success, tickets.Issue(user));
        }

        await users.AccessFailedAsync(user); // wrong codes count towards the lockout like wrong passwords
        await audit.RecordAsync(SecurityAudit.TwoFactorFailed, user.UserName!);
        if (!await users.IsLockedOutAsync(user)) return new SignInAttempt(SignInOutcome.Invalid, pending);
        await users.UpdateSecurityStampAsync(user);
        return new SignInAttempt(SignInOutcome.LockedOut);
    }

    private void HashLikeARealCheck(string password)
    {
        _phantomHash ??= hasher.HashPassword(Phantom, Guid.NewGuid().ToString());
        hasher.VerifyHashedPassword(Phantom, _phantomHash, password);
    }

    private SignInAttempt UnknownUser(string userName, string password)
    {
        HashLikeARealCheck(password); // same cost as a real check
        var key = "signin-unknown:" + userName.ToUpperInvariant();
        var failures = cache.GetOrCreate(key, e =>
        {
            e.AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(15);
            return new int[1];
        })!;
        var count = Interlocked.Increment(ref failures[0]);
        return new SignInAttempt(count >= 5 ? SignInOutcome.LockedOut : SignInOutcome.Invalid);
    }
}

/// <summary>Short-lived, single-use sign-in tickets bound to the user's security stamp (data protection, 1 minute).</summary>
public sealed class LoginTickets(IDataProtectionProvider protection, IMemoryCache used)
{
    private readonly ITimeLimitedDataProtector _protector =
        protection.CreateProtector("LoanOffice.LoginTicket").ToTimeLimitedDataProtector();

    private readonly ITimeLimitedDataProtector _pending =
        protection.CreateProtector("LoanOffice.LoginPending").ToTimeLimitedDataProtector();

    public string Issue(AppUser user) =>
        _protector.Protect($"{user.Id:N}|{user.SecurityStamp}|{Guid.NewGuid():N}", TimeSpan.FromMinutes(1));

    /// <summary>The password was right and the second factor is due: five minutes to enter the code (reusable until then).</summary>
    public string IssuePending(AppUser user) =>
        _pending.Protect($"{user.Id:N}|{user.SecurityStamp}", TimeSpan.FromMinutes(5));

    public (Guid UserId, string Stamp)? RedeemPending(string pending)
    {
        try
        {
            var parts = _pending.Unprotect(pending).Split('|');
            return parts.Length == 2 && Guid.TryParse(parts[0], out var id) ? (id, parts[1]) : null;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }

    /// <summary>Returns the user id and stamp, or null when the ticket is forged, expired or already used.</summary>
    public (Guid UserId, string Stamp)? Redeem(string ticket)
    {
        string payload;
        try
        {
            payload = _protector.Unprotect(ticket);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }

        var parts = payload.Split('|');
        if (parts.Length != 3 || !Guid.TryParse(parts[0], out var userId)) return null;
        var key = "ticket-used:" + parts[2];
        if (used.TryGetValue(key, out _)) return null;
        used.Set(key, true, TimeSpan.FromMinutes(2));
        return (userId, parts[1]);
    }
}
