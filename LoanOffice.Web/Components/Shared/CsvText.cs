namespace LoanOffice.Web.Components.Shared;

/// <summary>CSV cells for every export.</summary>
public static class CsvText
{
    /// <summary>RFC 4180 quoting; a cell starting with = + - @ is prefixed with ' so spreadsheets never run it as a formula.</summary>
    public static string Cell(string value)
    {
        value = Neutral(value);
        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    /// <summary>
    /// A text cell that a spreadsheet will never take for a formula (CSV and Excel alike): one starting with = + - @
    /// (and not a plain number such as -12.50) gets a leading '.
    /// </summary>
    public static string Neutral(string value) =>
        value.Length > 0 && "=+-@\t\r".Contains(value[0], StringComparison.Ordinal)
        && !decimal.TryParse(value, System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out _)
            ? "'" + value
            : value;

    /// <summary>An Excel cell's value: text neutralised as in <see cref="Neutral"/>, numbers and dates as they are.</summary>
    public static object? SheetCell(object? value) => value is string s ? Neutral(s) : value;
}
