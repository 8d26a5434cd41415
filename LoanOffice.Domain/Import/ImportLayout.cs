using System.Globalization;
using LoanOffice.Domain.Common;
using LoanOffice.Domain.Loans;
using LoanOffice.Domain.Validation;

namespace LoanOffice.Domain.Import;

/// <summary>What a migration file holds: customers, loans (running or settled, from the old system) or their payment history.</summary>
public enum ImportKind
{
    Customers,
    Loans,
    Payments,
}

/// <summary>One column of a template: its key (English header), Chinese header, whether it must be filled, and an example value.</summary>
public sealed record ImportColumn(string Key, string Chinese, bool Required, string Example);

/// <summary>A bad cell (or row): the file's row number (the header is row 1), the column, the value as read, and the error.</summary>
public sealed record ImportProblem(int Row, string Column, string Value, Error Error)
{
    /// <summary>The file of the row when an import reads two (a loans file with its payments file); null for the main file.</summary>
    public string? File { get; init; }
}

public sealed record CustomerImportRow(int Row, string Name, string ResidentId, string Mobile, string? Address, string District, string? BankCard);

public sealed record LoanImportRow(int Row, string Number, string ResidentId, string ProductCode, string TeamCode, string? Officer,
    decimal Principal, decimal AnnualRate, RepaymentMethod Method, int Months, DateOnly DisbursedOn, decimal? PenaltyMarkup, int? GraceDays);

public sealed record PaymentImportRow(int Row, string LoanNumber, DateOnly ValueDate, decimal Amount, string Reference);

/// <summary>
/// The migration files' layout and the rules for a row read alone (the importer adds what needs the database: does the
/// customer, team, officer, product, loan exist; is the number or reference new). Headers may be Chinese, English or
/// both ("姓名 name"); amounts accept thousands separators and ¥; rates 0.18 or 18%; dates yyyy-MM-dd, yyyy/MM/dd or
/// yyyyMMdd; methods by name or by their Chinese names.
/// </summary>
public static class ImportLayout
{
    public static readonly IReadOnlyList<ImportColumn> Customers =
    [
        new("name", "姓名", true, "张三"),
        new("residentId", "身份证号", true, "110101199003070011"),
        new("mobile", "手机号", true, "13800138000"),
        new("address", "地址", false, "杭州市西湖区文三路 100 号"),
        new("district", "区域", true, "杭州市西湖区"),
        new("bankCard", "银行卡号", false, "6222020200000000006"),
    ];

    public static readonly IReadOnlyList<ImportColumn> Loans =
    [
        new("loanNumber", "外部借据号", true, "OLD-2025-000123"),
        new("residentId", "客户身份证号", true, "110101199003070011"),
        new("productCode", "产品代码", true, "CREDIT"),
        new("teamCode", "团队代码", true, "HZ01"),
        new("officer", "客户经理", false, "officer"),
        new("principal", "本金", true, "50000.00"),
        new("annualRate", "年利率", true, "0.15"),
        new("method", "还款方式", true, "等额本息"),
        new("months", "期数", true, "12"),
        new("disbursedOn", "放款日", true, "2025-06-15"),
        new("penaltyMarkup", "罚息上浮", false, "0.5"),
        new("graceDays", "宽限天数", false, "3"),
    ];

    public static readonly IReadOnlyList<ImportColumn> Payments =
    [
        new("loanNumber", "外部借据号", true, "OLD-2025-000123"),
        new("valueDate", "入账日", true, "2025-07-15"),
        new("amount", "金额", true, "4512.92"),
        new("reference", "外部流水号", true, "BANK-20250715-0001"),
    ];

    public static IReadOnlyList<ImportColumn> ColumnsOf(ImportKind kind) => kind switch
    {
        ImportKind.Customers => Customers,
        ImportKind.Loans => Loans,
        _ => Payments,
    };

    /// <summary>The header a template shows: both languages.</summary>
    public static string HeaderOf(ImportColumn column) => $"{column.Chinese} {column.Key}";

    /// <summary>Which column a header names (Chinese, English, or both), or null.</summary>
    public static ImportColumn? Match(ImportKind kind, string header)
    {
        var h = header.Trim().TrimStart('\uFEFF');
        foreach (var c in ColumnsOf(kind))
        {
            if (string.Equals(h, c.Key, StringComparison.OrdinalIgnoreCase) || h == c.Chinese || string.Equals(h, HeaderOf(c), StringComparison.OrdinalIgnoreCase)
                || h.StartsWith(c.Chinese, StringComparison.Ordinal) && h[c.Chinese.Length..].Trim().Equals(c.Key, StringComparison.OrdinalIgnoreCase))
                return c;
        }

        return null;
    }

    public const int MaxLoanNumberLength = 30;

    public static (CustomerImportRow? Row, List<ImportProblem> Problems) Customer(int row, IReadOnlyDictionary<string, string> cells, DateOnly today)
    {
        var p = new Reader(row, cells);
        var name = p.Text("name", 100);
        var id = p.Check("residentId", v => ResidentId.Validate(v, today));
        var mobile = p.Check("mobile", MobileNumber.Validate);
        var address = p.Optional("address", 200);
        var district = p.Text("district", 50);
        var card = p.OptionalCheck("bankCard", BankCardNumber.Validate);
        return p.Problems.Count > 0 ? (null, p.Problems) : (new CustomerImportRow(row, name!, id!, mobile!, address, district!, card), p.Problems);
    }

    public static (LoanImportRow? Row, List<ImportProblem> Problems) Loan(int row, IReadOnlyDictionary<string, string> cells, DateOnly today)
    {
        var p = new Reader(row, cells);
        var number = p.Text("loanNumber", MaxLoanNumberLength);
        if (number is not null && !number.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '/'))
            p.Add("loanNumber", number, Error.Of(ErrorCodes.ImportLoanNumberFormat, MaxLoanNumberLength));
        var id = p.Check("residentId", v => ResidentId.Validate(v, today));
        var product = p.Text("productCode", 30);
        var team = p.Text("teamCode", 30);
        var officer = p.Optional("officer", 100);
        var principal = p.Money("principal");
        var rate = p.Rate("annualRate");
        var method = p.Method("method");
        var months = p.Integer("months", 1, 360);
        var disbursed = p.Date("disbursedOn");
        if (disbursed is { } d && d > today) p.Add("disbursedOn", cells.GetValueOrDefault("disbursedOn") ?? "", Error.Of(ErrorCodes.DateInFuture, today));
        var markup = p.OptionalDecimal("penaltyMarkup", 0m, 5m);
        var grace = p.OptionalInteger("graceDays", 0, 90);
        if (p.Problems.Count > 0) return (null, p.Problems);
        return (new LoanImportRow(row, number!, id!, product!, team!, officer, principal!.Value, rate!.Value, method!.Value, months!.Value, disbursed!.Value, markup, grace), p.Problems);
    }

    public static (PaymentImportRow? Row, List<ImportProblem> Problems) Payment(int row, IReadOnlyDictionary<string, string> cells, DateOnly today)
    {
        var p = new Reader(row, cells);
        var number = p.Text("loanNumber", MaxLoanNumberLength);
        var date = p.Date("valueDate");
        if (date is { } d && d > today) p.Add("valueDate", cells.GetValueOrDefault("valueDate") ?? "", Error.Of(ErrorCodes.DateInFuture, today));
        var amount = p.Money("amount");
        var reference = p.Text("reference", 64);
        if (p.Problems.Count > 0) return (null, p.Problems);
        return (new PaymentImportRow(row, number!, date!.Value, amount!.Value, reference!), p.Problems);
    }

    /// <summary>等额本息 / EqualInstallment / …: the method a cell names.</summary>
    public static RepaymentMethod? MethodOf(string value)
    {
        var v = value.Trim();
        if (Enum.TryParse<RepaymentMethod>(v, ignoreCase: true, out var m) && Enum.IsDefined(m) && !v.All(char.IsDigit)) return m;
        return v switch
        {
            "等额本息" => RepaymentMethod.EqualInstallment,
            "等额本金" => RepaymentMethod.EqualPrincipal,
            "按月付息，到期还本" or "按月付息,到期还本" or "按月付息到期还本" or "先息后本" => RepaymentMethod.InterestOnly,
            "一次性还本付息" or "到期一次还本付息" => RepaymentMethod.Bullet,
            "预收利息" => RepaymentMethod.PrepaidInterest,
            _ => null,
        };
    }

    public static DateOnly? DateOf(string value)
    {
        var v = value.Trim();
        string[] formats = ["yyyy-MM-dd", "yyyy/MM/dd", "yyyyMMdd", "yyyy-M-d", "yyyy/M/d", "yyyy-MM-dd HH:mm:ss", "yyyy/M/d H:mm:ss", "yyyy/M/d H:mm"];
        return DateTime.TryParseExact(v, formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var dt) ? DateOnly.FromDateTime(dt) : null;
    }

    public static decimal? DecimalOf(string value)
    {
        var v = value.Trim().Replace(",", "", StringComparison.Ordinal).Replace("，", "", StringComparison.Ordinal).TrimStart('¥', '￥').Trim();
        return decimal.TryParse(v, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var d) ? d : null;
    }

    /// <summary>Reads one row's cells, collecting every problem rather than stopping at the first.</summary>
    private sealed class Reader(int row, IReadOnlyDictionary<string, string> cells)
    {
        public List<ImportProblem> Problems { get; } = [];

        public void Add(string column, string value, Error error) => Problems.Add(new ImportProblem(row, column, value, error.At(column)));

        private string Cell(string column) => cells.TryGetValue(column, out var v) ? v.Trim() : "";

        public string? Text(string column, int max)
        {
            var v = Cell(column);
            if (v.Length == 0) { Add(column, v, Error.Of(ErrorCodes.Required, column)); return null; }
            if (v.Length > max) { Add(column, v, Error.Of(ErrorCodes.InputTooLong, max)); return null; }
            return v;
        }

        public string? Optional(string column, int max)
        {
            var v = Cell(column);
            if (v.Length > max) { Add(column, v, Error.Of(ErrorCodes.InputTooLong, max)); return null; }
            return v.Length == 0 ? null : v;
        }

        public string? Check(string column, Func<string, Result<string>> validate)
        {
            var v = Cell(column);
            if (v.Length == 0) { Add(column, v, Error.Of(ErrorCodes.Required, column)); return null; }
            var r = validate(v);
            if (!r.IsSuccess) { Add(column, v, r.Error!); return null; }
            return r.Value;
        }

        public string? OptionalCheck(string column, Func<string, Result<string>> validate) => Cell(column).Length == 0 ? null : Check(column, validate);

        public decimal? Money(string column)
        {
            var v = Cell(column);
            if (v.Length == 0) { Add(column, v, Error.Of(ErrorCodes.Required, column)); return null; }
            if (DecimalOf(v) is not { } d) { Add(column, v, Error.Of(ErrorCodes.NotANumber, v)); return null; }
            if (d <= 0m) { Add(column, v, Error.Of(ErrorCodes.AmountNotPositive)); return null; }
            if (decimal.Round(d, 2) != d) { Add(column, v, Error.Of(ErrorCodes.AmountNotInFen)); return null; }
            return d;
        }

        public decimal? Rate(string column)
        {
            var v = Cell(column);
            if (v.Length == 0) { Add(column, v, Error.Of(ErrorCodes.Required, column)); return null; }
            var percent = v.EndsWith('%');
            if (DecimalOf(percent ? v[..^1] : v) is not { } d) { Add(column, v, Error.Of(ErrorCodes.NotANumber, v)); return null; }
            var rate = percent ? d / 100m : d;
            if (rate is <= 0m or >= 1m) { Add(column, v, Error.Of(ErrorCodes.ImportRateRange)); return null; }
            return rate;
        }

        public RepaymentMethod? Method(string column)
        {
            var v = Cell(column);
            if (v.Length == 0) { Add(column, v, Error.Of(ErrorCodes.Required, column)); return null; }
            if (MethodOf(v) is { } m) return m;
            Add(column, v, Error.Of(ErrorCodes.NotOneOf, v, "等额本息, 等额本金, 按月付息，到期还本, 一次性还本付息, 预收利息"));
            return null;
        }

        public int? Integer(string column, int min, int max)
        {
            var v = Cell(column);
            if (v.Length == 0) { Add(column, v, Error.Of(ErrorCodes.Required, column)); return null; }
            return IntegerOf(column, v, min, max);
        }

        public int? OptionalInteger(string column, int min, int max) => Cell(column) is { Length: > 0 } v ? IntegerOf(column, v, min, max) : null;

        private int? IntegerOf(string column, string v, int min, int max)
        {
            if (DecimalOf(v) is not { } d || d != decimal.Truncate(d)) { Add(column, v, Error.Of(ErrorCodes.NotANumber, v)); return null; }
            if (d < min || d > max) { Add(column, v, Error.Of(ErrorCodes.ImportNumberRange, min, max)); return null; }
            return (int)d;
        }

        public decimal? OptionalDecimal(string column, decimal min, decimal max)
        {
            var v = Cell(column);
            if (v.Length == 0) return null;
            if (DecimalOf(v) is not { } d) { Add(column, v, Error.Of(ErrorCodes.NotANumber, v)); return null; }
            if (d < min || d > max) { Add(column, v, Error.Of(ErrorCodes.ImportNumberRange, min, max)); return null; }
            return d;
        }

        public DateOnly? Date(string column)
        {
            var v = Cell(column);
            if (v.Length == 0) { Add(column, v, Error.Of(ErrorCodes.Required, column)); return null; }
            if (DateOf(v) is { } d) return d;
            Add(column, v, Error.Of(ErrorCodes.NotADate, v));
            return null;
        }
    }
}
