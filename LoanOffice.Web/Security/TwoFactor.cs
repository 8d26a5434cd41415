using LoanOffice.Data.Identity;
using LoanOffice.Domain.Common;
using LoanOffice.Domain.Organisation;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace LoanOffice.Web.Security;

/// <summary>Security:TwoFactorRequired (on unless switched off) and Security:TwoFactorRoles (who must enrol).</summary>
public sealed class TwoFactorOptions
{
    public static readonly string[] DefaultRoles = [Roles.Admin, Roles.ChiefApprover, Roles.Finance, Roles.Compliance];

    public bool TwoFactorRequired { get; set; } = true;
    public string[]? TwoFactorRoles { get; set; }

    public IReadOnlyList<string> RequiredRoles => TwoFactorRoles is { Length: > 0 } roles ? roles : DefaultRoles;

    /// <summary>Must a user with these roles have two-factor sign-in before working?</summary>
    public bool IsRequiredFor(IEnumerable<string> roles) => TwoFactorRequired && roles.Any(RequiredRoles.Contains);
}

/// <summary>What the enrolment page shows: the key to type and the otpauth URI its QR code holds.</summary>
public sealed record Enrolment(string Key, string Uri, bool Enabled, int RecoveryCodesLeft);

/// <summary>
/// Two-factor sign-in with an authenticator app (TOTP, RFC 6238, through Identity's authenticator provider) and ten
/// single-use recovery codes: enrolment, the "must enrol first" rule for the roles that require it, new codes.
/// </summary>
public sealed class TwoFactorService(UserManager<AppUser> users, CurrentUser current, SecurityAudit audit, IOptions<TwoFactorOptions> options)
{
    public const string Issuer = "LoanOffice";

    private async Task<AppUser?> MeAsync() => await current.GetIdAsync() is { } id ? await users.FindByIdAsync(id.ToString()) : null;

    /// <summary>The signed-in user's role requires two-factor sign-in and they have not enrolled yet.</summary>
    public async Task<bool> MustEnrolAsync()
    {
        if (await MeAsync() is not { } user) return false;
        return !await users.GetTwoFactorEnabledAsync(user) && options.Value.IsRequiredFor(await users.GetRolesAsync(user));
    }

    public async Task<Enrolment?> EnrolmentAsync()
    {
        if (await MeAsync() is not { } user) return null;
        var key = await users.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrEmpty(key))
        {
            await users.ResetAuthenticatorKeyAsync(user);
            key = await users.GetAuthenticatorKeyAsync(user);
        }

        var label = Uri.EscapeDataString($"{Issuer}:{user.UserName}");
        var uri = $"otpauth://totp/{label}?secret={key}&issuer={Issuer}&digits=6&period=30";
        return new Enrolment(key!, uri, await users.GetTwoFactorEnabledAsync(user), await users.CountRecoveryCodesAsync(user));
    }

    /// <summary>
    /// Turns two-factor sign-in on after a code from the app proves it holds the key; answers the recovery codes (shown
    /// once). The security stamp changes with it: the user signs in again, now with a code.
    /// </summary>
    public async Task<Result<IReadOnlyList<string>>> EnableAsync(string? code)
    {
        if (await MeAsync() is not { } user) return Error.Of(ErrorCodes.AccountNotSignedIn);
        var digits = new string((code ?? string.Empty).Where(char.IsAsciiDigit).ToArray());
        if (digits.Length != 6 || !await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, digits))
        {
            await audit.RecordAsync(SecurityAudit.TwoFactorFailed, user.UserName!, new { enrolment = true });
            return Error.Of(ErrorCodes.TwoFactorCodeInvalid).At("code");
        }

        await users.SetTwoFactorEnabledAsync(user, true);
        var codes = (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 10))!.ToList();
        await audit.RecordAsync(SecurityAudit.TwoFactorEnabled, user.UserName!);
        return codes;
    }

    /// <summary>Ten new recovery codes (the old ones stop working).</summary>
    public async Task<Result<IReadOnlyList<string>>> NewRecoveryCodesAsync()
    {
        if (await MeAsync() is not { } user) return Error.Of(ErrorCodes.AccountNotSignedIn);
        if (!await users.GetTwoFactorEnabledAsync(user)) return Error.Of(ErrorCodes.TwoFactorNotEnabled);
        var codes = (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 10))!.ToList();
        await audit.RecordAsync(SecurityAudit.RecoveryCodesNew, user.UserName!);
        return codes;
    }
}
