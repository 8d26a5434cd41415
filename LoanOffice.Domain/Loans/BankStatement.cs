using System.Globalization;
using System.Text.RegularExpressions;
using LoanOffice.Domain.Common;

namespace LoanOffice.Domain.Loans;

/// <summary>
/// How one bank writes its daily repayment file: the separator, whether the first line is a header, and which column
/// (by header name or 1-based position) holds the value date, amount, payer account, the bank's reference and the memo.
/// </summary>
public sealed record BankMapping(string Code, string Name, char Delimiter, bool HasHeader, string DateColumn, string AmountColumn,
    string AccountColumn, string ReferenceColumn, string? MemoColumn, string DateFormat)
{
    public static readonly string[] DateFormats = ["yyyy-MM-dd", "yyyyMMdd", "yyyy/MM/dd", "dd/MM/yyyy"];

    public Result Validate()
    {
        var errors = new List<Error>();
        if (string.IsNullOrWhiteSpace(Code) || Code.Length > 20) errors.Add(Error.Of(ErrorCodes.Required, "bankCode").At("code"));
        if (string.IsNullOrWhiteSpace(Name)) errors.Add(Error.Of(ErrorCodes.Required, "bankName").At("name"));
        foreach (var (value, field) in new[] { (DateColumn, "dateColumn"), (AmountColumn, "amountColumn"), (AccountColumn, "accountColumn"), (ReferenceColumn, "referenceColumn") })
            if (string.IsNullOrWhiteSpace(value)) errors.Add(Error.Of(ErrorCodes.Required, "" + field).At(field));
        if (!DateFormats.Contains(DateFormat)) errors.Add(Error.Of(ErrorCodes.NotOneOf, DateFormat, string.Join(", ", DateFormats)).At("dateFormat"));
        if (Delimiter is not (',' or ';' or '\t' or '|')) errors.Add(Error.Of(ErrorCodes.NotOneOf, Delimiter.ToString(), ", ; | Tab").At("delimiter"));
        return Error.Combine(errors) is { } e ? e : Result.Success();
    }
}

/// <summary>One line of a bank file as read: its line number in the file, or its problem.</summary>
public sealed record BankLine(int Line, DateOnly ValueDate, decimal Amount, string PayerAccount, string Reference, string Memo);

/// <summary>Where a bank line stands: matched to one loan, several possible (ambiguous), none (unmatched, in suspense), already posted (duplicate), then posted.</summary>
public enum BankLineStatus
{
    Matched,
    Ambiguous,
    Unmatched,
    Duplicate,
    Posted,
}

/// <summary>
/// 批量还款: reading a bank's file by its mapping, and matching each line to a loan — by the repayment card the payer
/// paid from (the customers' cards), or by a loan number written in the memo; a loan number in the memo that names
/// one of the card's loans settles a card with several loans. A reference already posted is a duplicate and is never
/// posted again.
/// </summary>
public static partial class BankStatement
{
    public static (List<BankLine> Lines, List<(int Line, Error Error)> Problems) Read(string text, BankMapping mapping)
    {
        var lines = new List<BankLine>();
        var problems = new List<(int, Error)>();
        var raw = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        string[]? header = null;
        for (var i = 0; i < raw.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(raw[i])) continue;
            var cells = raw[i].Split(mapping.Delimiter).Select(c => c.Trim().Trim('"').Trim()).ToArray();
            if (mapping.HasHeader && header is null) { header = cells; continue; }
            string Cell(string column)
            {
                var index = int.TryParse(column, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n - 1 : Array.IndexOf(header ?? [], column);
                return index >= 0 && index < cells.Length ? cells[index] : "";
            }

            var no = i + 1;
            var dateText = Cell(mapping.DateColumn);
            if (!DateOnly.TryParseExact(dateText, mapping.DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                problems.Add((no, Error.Of(ErrorCodes.NotADate, dateText).At("date")));
                continue;
            }

            var amountText = Cell(mapping.AmountColumn).Replace(",", "", StringComparison.Ordinal).TrimStart('¥', '￥');
            if (!decimal.TryParse(amountText, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var amount))
            {
                problems.Add((no, Error.Of(ErrorCodes.NotANumber, amountText).At("amount")));
                continue;
            }

            if (amount <= 0m || decimal.Round(amount, 2) != amount)
            {
                problems.Add((no, Error.Of(amount <= 0m ? ErrorCodes.AmountNotPositive : ErrorCodes.AmountNotInFen).At("amount")));
                continue;
            }

            var reference = Cell(mapping.ReferenceColumn);
            if (reference.Length is 0 or > 64)
            {
                problems.Add((no, Error.Of(ErrorCodes.ReferenceRequired).At("reference")));
                continue;
            }

            lines.Add(new BankLine(no, date, amount, Digits(Cell(mapping.AccountColumn)), reference, mapping.MemoColumn is null ? "" : Cell(mapping.MemoColumn)));
        }

        return (lines, problems);
    }

    /// <summary>An account number as the bank prints it, spaces and dashes dropped.</summary>
    public static string Digits(string account) => new(account.Where(char.IsAsciiLetterOrDigit).ToArray());

    /// <summary>The words of a memo that could be loan numbers (checked against the book by the caller).</summary>
    public static IEnumerable<string> NumberCandidates(string memo) => LoanNumberLike().Matches(memo).Select(m => m.Value).Distinct();

    [GeneratedRegex(@"[A-Za-z0-9][A-Za-z0-9\-_/]{3,29}")]
    private static partial Regex LoanNumberLike();

    /// <summary>
    /// The line's loan: the open loans of the payer's card, narrowed by the loan numbers in the memo (or the memo's
    /// loan alone when the card is unknown). One candidate: matched; several: ambiguous; none: unmatched.
    /// </summary>
    public static (BankLineStatus Status, IReadOnlyList<Guid> Candidates) Match(IReadOnlyCollection<Guid> loansOfCard, IReadOnlyCollection<Guid> loansInMemo,
        bool alreadyPosted)
    {
        if (alreadyPosted) return (BankLineStatus.Duplicate, []);
        var candidates = loansOfCard.Count > 0 && loansInMemo.Count > 0 && loansOfCard.Intersect(loansInMemo).ToList() is { Count: > 0 } both ? both
            : loansInMemo.Count > 0 ? loansInMemo.ToList()
            : loansOfCard.ToList();
        return candidates.Count switch
        {
            0 => (BankLineStatus.Unmatched, []),
            1 => (BankLineStatus.Matched, candidates),
            _ => (BankLineStatus.Ambiguous, candidates),
        };
    }
}
