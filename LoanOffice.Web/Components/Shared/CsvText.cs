namespace LoanOffice.Web.Components.Shared;

/// <summary>CSV cells for every export.</summary>
public static class CsvText
{
    /// <summary>RFC 4180 quoting; a cell starting with = + - @ is prefixed with ' so spreadsheets never run it as a formula.</summary>
    public static string Cell(string value)
    {
        if (value.Length > 0 && "=+-@".Contains(value[0], StringComparison.Ordinal) && !decimal.TryParse(value, System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out _))
            value = "'" + value;
        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
