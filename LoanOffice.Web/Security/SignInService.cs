using LoanOffice.Data.Identity;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Caching.Memory;

namespace LoanOffice.Web.Security;

public enum SignInOutcome { Success, Invalid, LockedOut }

/// <summary>Outcome of checking credentials; on success a one-minute ticket the browser redeems for the cookie.</summary>
public sealed record SignInAttempt(SignInOutcome Outcome, string? Ticket = null);

public interface ISignInService
{
    Task<SignInAttempt> CheckAsync(string userName, string password);
}

/// <summary>
/// Checks credentials inside the interactive sign-in page (a circuit cannot set cookies), counting failures and
/// locking out after 5. Unknown user names are treated exactly like known ones — same message, same lockout after
/// 5 attempts, same hashing cost — so the page never reveals whether a name exists.
/// </summary>
public sealed class SignInService(
    UserManager<AppUser> users,
    SignInManager<AppUser> signIn,
    IPasswordHasher<AppUser> hasher,
    IMemoryCache cache,
    LoginTickets tickets) : ISignInService
{
    private static readonly AppUser Phantom = new() { UserName = "phantom" };
    private static string? _phantomHash;

    public async Task<SignInAttempt> CheckAsync(string userName, string password)
    {
        userName = userName.Trim();
        var user = string.IsNullOrEmpty(userName) ? null : await users.FindByNameAsync(userName);
        if (user is null) return UnknownUser(userName, password);
        if (await users.IsLockedOutAsync(user))
        {
            // Identity answers a locked account without hashing: the same work as for any other name, so the time
            // taken does not tell a locked real account from an unknown name
            HashLikeARealCheck(password);
            return new SignInAttempt(SignInOutcome.LockedOut);
        }

        var result = await signIn.CheckPasswordSignInAsync(user, password, lockoutOnFailure: true);
        if (result.Succeeded) return new SignInAttempt(SignInOutcome.Success, tickets.Issue(user));
        if (!result.IsLockedOut) return new SignInAttempt(SignInOutcome.Invalid);
        // locked now: every open session of the account ends at its next request
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

    public string Issue(AppUser user) =>
        _protector.Protect($"{user.Id:N}|{user.SecurityStamp}|{Guid.NewGuid():N}", TimeSpan.FromMinutes(1));

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
