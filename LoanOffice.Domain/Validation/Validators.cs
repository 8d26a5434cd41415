using LoanOffice.Domain.Common;

namespace LoanOffice.Domain.Validation;

/// <summary>居民身份证号码 (GB 11643-1999): 17 digits, a valid birth date, the ISO 7064 MOD 11-2 check character (X = 10).</summary>
public static class ResidentId
{
    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string CheckCharacters = "10X98765432";

    public static char CheckCharacter(ReadOnlySpan<char> first17)
    {
        var sum = 0;
        for (var i = 0; i < 17; i++) sum += (first17[i] - '0') * Weights[i];
        return CheckCharacters[sum % 11];
    }

    /// <summary>Normalizes (trims, upper-cases x) and validates; the value is the normalized number.</summary>
    public static Result<string> Validate(string? input, DateOnly? today = null)
    {
        var id = (input ?? string.Empty).Trim().ToUpperInvariant();
        if (id.Length != 18) return Error.Of(ErrorCodes.ResidentIdLength).At("residentId");
        for (var i = 0; i < 17; i++)
            if (!char.IsAsciiDigit(id[i])) return Error.Of(ErrorCodes.ResidentIdDigits).At("residentId");
        if (!char.IsAsciiDigit(id[17]) && id[17] != 'X') return Error.Of(ErrorCodes.ResidentIdLastCharacter).At("residentId");
        if (id[0] == '0') return Error.Of(ErrorCodes.ResidentIdRegion).At("residentId");
        if (!DateOnly.TryParseExact(id.AsSpan(6, 8), "yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var birth) || birth.Year < 1900 || (today is { } t && birth > t))
            return Error.Of(ErrorCodes.ResidentIdBirthDate).At("residentId");
        if (CheckCharacter(id) != id[17]) return Error.Of(ErrorCodes.ResidentIdCheckCharacter).At("residentId");
        return id;
    }

    public static DateOnly BirthDate(string validId) => DateOnly.ParseExact(validId.AsSpan(6, 8), "yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Shown masked (110105********1234) except to roles that need the number.</summary>
    public static string Mask(string id) => id.Length == 18 ? string.Concat(id.AsSpan(0, 6), "********", id.AsSpan(14, 4)) : new string('*', id.Length);
}

/// <summary>统一社会信用代码 (GB 32100-2015). A checksum miss is a warning, not a refusal (old registrations contain errors).</summary>
public static class UnifiedSocialCreditCode
{
    private const string Alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static readonly int[] Weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

    public sealed record Check(string Code, bool ChecksumMatches, string? Warning);

    public static char CheckCharacter(ReadOnlySpan<char> first17)
    {
        var sum = 0;
        for (var i = 0; i < 17; i++) sum += Alphabet.IndexOf(first17[i], StringComparison.Ordinal) * Weights[i];
        var c = 31 - sum % 31;
        return Alphabet[c == 31 ? 0 : c];
    }

    public static Result<Check> Validate(string? input)
    {
        var code = (input ?? string.Empty).Trim().ToUpperInvariant();
        if (code.Length != 18) return Error.Of(ErrorCodes.CreditCodeLength).At("creditCode");
        if (code.Any(c => !Alphabet.Contains(c, StringComparison.Ordinal)))
            return Error.Of(ErrorCodes.CreditCodeCharacters).At("creditCode");
        var matches = CheckCharacter(code) == code[17];
        return new Check(code, matches, matches ? null : "The check character does not match: verify the code with the business licence.");
    }
}

/// <summary>中国大陆手机号: 11 digits starting 13–19; +86 / 86 prefixes, spaces and dashes are accepted and removed.</summary>
public static class MobileNumber
{
    public static Result<string> Validate(string? input)
    {
        var digits = new string((input ?? string.Empty).Where(c => !char.IsWhiteSpace(c) && c != '-').ToArray());
        if (digits.StartsWith("+86", StringComparison.Ordinal)) digits = digits[3..];
        else if (digits.Length == 13 && digits.StartsWith("86", StringComparison.Ordinal)) digits = digits[2..];
        if (digits.Length != 11 || !digits.All(char.IsAsciiDigit) || digits[0] != '1' || digits[1] < '3')
            return Error.Of(ErrorCodes.MobileFormat).At("mobile");
        return digits;
    }

    public static string Mask(string mobile) => mobile.Length == 11 ? string.Concat(mobile.AsSpan(0, 3), "****", mobile.AsSpan(7, 4)) : new string('*', mobile.Length);
}

/// <summary>银行卡号: 12–19 digits passing the Luhn check.</summary>
public static class BankCardNumber
{
    public static bool LuhnValid(ReadOnlySpan<char> digits)
    {
        var sum = 0;
        var doubleIt = false;
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            var d = digits[i] - '0';
            if (doubleIt)
            {
                d *= 2;
                if (d > 9) d -= 9;
            }

            sum += d;
            doubleIt = !doubleIt;
        }

        return sum % 10 == 0;
    }

    public static Result<string> Validate(string? input)
    {
        var digits = new string((input ?? string.Empty).Where(c => !char.IsWhiteSpace(c) && c != '-').ToArray());
        if (digits.Length is < 12 or > 19 || !digits.All(char.IsAsciiDigit))
            return Error.Of(ErrorCodes.BankCardLength).At("bankCard");
        if (!LuhnValid(digits)) return Error.Of(ErrorCodes.BankCardCheckDigit).At("bankCard");
        return digits;
    }

    public static string Mask(string card) => card.Length > 8 ? string.Concat(card.AsSpan(0, 4), new string('*', card.Length - 8), card.AsSpan(card.Length - 4)) : new string('*', card.Length);
}
