using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using LoanOffice.Domain.Common;
using LoanOffice.Domain.Import;
using MiniExcelLibs;

namespace LoanOffice.Web.Features.Import;

/// <summary>A migration file read into rows of cells by column key; the row numbers are the file's (the header is row 1).</summary>
public sealed record ImportTable(string FileName, string Sha256, IReadOnlyList<(int Row, Dictionary<string, string> Cells)> Rows);

/// <summary>
/// Reads an .xlsx (the first sheet) or a .csv (UTF-8, or GB18030 as Excel saves it in China; comma, semicolon or tab
/// separated, quoted fields) into rows keyed by the template's column keys. A header it does not know is ignored; a
/// required column that is missing refuses the whole file.
/// </summary>
public static class ImportFile
{
    public const int MaxRows = 2_000_000;

    static ImportFile() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static Result<ImportTable> Read(ImportKind kind, string fileName, byte[] content)
    {
        var sha = Convert.ToHexStringLower(SHA256.HashData(content));
        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        List<string[]> raw;
        try
        {
            raw = extension switch
            {
                ".csv" or ".txt" => Csv(Decode(content)),
                ".xlsx" => Xlsx(content),
                _ => throw new FormatException(),
            };
        }
        catch (FormatException) when (extension is not (".csv" or ".txt" or ".xlsx"))
        {
            return Error.Of(ErrorCodes.ImportFormat).At("file");
        }
        catch (Exception ex) when (ex is FormatException or InvalidDataException or IOException or InvalidOperationException or ArgumentException
                                       or System.Xml.XmlException or NotSupportedException)
        {
            return Error.Of(ErrorCodes.ImportUnreadable).At("file");
        }

        var header = raw.FirstOrDefault();
        if (header is null || raw.Count < 2) return Error.Of(ErrorCodes.ImportEmpty).At("file");
        var columns = header.Select(h => ImportLayout.Match(kind, h)?.Key).ToArray();
        var missing = ImportLayout.ColumnsOf(kind).Where(c => c.Required && !columns.Contains(c.Key)).ToList();
        if (missing.Count > 0)
            return Error.Combine(missing.Select(c => Error.Of(ErrorCodes.ImportColumnMissing, ImportLayout.HeaderOf(c)).At("file")).ToList())!;
        if (raw.Count - 1 > MaxRows) return Error.Of(ErrorCodes.ImportTooLarge, MaxRows).At("file");

        var rows = new List<(int, Dictionary<string, string>)>(raw.Count - 1);
        for (var r = 1; r < raw.Count; r++)
        {
            var line = raw[r];
            if (line.All(string.IsNullOrWhiteSpace)) continue; // blank lines (Excel leaves some at the end) are not rows
            var cells = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var c = 0; c < columns.Length && c < line.Length; c++)
                if (columns[c] is { } key) cells[key] = line[c];
            rows.Add((r + 1, cells));
        }

        return rows.Count == 0 ? Error.Of(ErrorCodes.ImportEmpty).At("file") : new ImportTable(Path.GetFileName(fileName), sha, rows);
    }

    /// <summary>Text as Chinese offices save it: UTF-8 (with or without a BOM), or GB18030.</summary>
    public static string Decode(byte[] content)
    {
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(content).TrimStart('\uFEFF');
        }
        catch (DecoderFallbackException)
        {
            return Encoding.GetEncoding("GB18030").GetString(content);
        }
    }

    /// <summary>RFC 4180 with the separator the header line uses.</summary>
    private static List<string[]> Csv(string text)
    {
        var firstLine = text.AsSpan(0, Math.Max(0, text.IndexOf('\n') is var n and >= 0 ? n : text.Length));
        var separator = firstLine.Count('\t') > firstLine.Count(',') ? '\t' : firstLine.Count(';') > firstLine.Count(',') ? ';' : ',';
        var rows = new List<string[]>();
        var row = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var ch = text[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < text.Length && text[i + 1] == '"') { cell.Append('"'); i++; }
                else if (ch == '"') quoted = false;
                else cell.Append(ch);
            }
            else if (ch == '"' && cell.Length == 0) quoted = true;
            else if (ch == separator) { row.Add(cell.ToString()); cell.Clear(); }
            else if (ch == '\n' || ch == '\r')
            {
                if (ch == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
                row.Add(cell.ToString());
                cell.Clear();
                rows.Add([.. row]);
                row.Clear();
            }
            else cell.Append(ch);
        }

        if (cell.Length > 0 || row.Count > 0)
        {
            row.Add(cell.ToString());
            rows.Add([.. row]);
        }

        return rows;
    }

    private static List<string[]> Xlsx(byte[] content)
    {
        using var stream = new MemoryStream(content);
        var rows = new List<string[]>();
        foreach (IDictionary<string, object?> row in MiniExcel.Query(stream, useHeaderRow: false, excelType: ExcelType.XLSX))
            rows.Add(row.Values.Select(CellText).ToArray());
        return rows;
    }

    /// <summary>A cell as text: dates as yyyy-MM-dd, numbers without Excel's binary noise.</summary>
    private static string CellText(object? value) => value switch
    {
        null => "",
        DateTime d => d.TimeOfDay == TimeSpan.Zero ? d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : d.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        double x => ((decimal)x).ToString(CultureInfo.InvariantCulture),
        decimal m => m.ToString(CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
