using System.Globalization;
using LoanOffice.Domain.Import;
using LoanOffice.Web.Hosting;
using LoanOffice.Web.Resources;
using Microsoft.Extensions.Localization;
using MiniExcelLibs;

namespace LoanOffice.Web.Features.Import;

/// <summary>The import's spreadsheets: the templates (headers in both languages, one example row, a sheet explaining each column) and the report of bad rows.</summary>
public static class ImportDocuments
{
    /// <summary>A template: sheet 1 the header and an example row (every cell text, so IDs keep their digits), sheet 2 what each column means.</summary>
    public static byte[] Template(ImportKind kind, IStringLocalizer<SharedResource> L)
    {
        var columns = ImportLayout.ColumnsOf(kind);
        var example = new Dictionary<string, object>();
        foreach (var c in columns) example[ImportLayout.HeaderOf(c)] = c.Example;
        var help = columns.Select(c => new Dictionary<string, object>
        {
            [L["Import.Column"].Value] = ImportLayout.HeaderOf(c),
            [L["Import.Required"].Value] = c.Required ? L["Import.Yes"].Value : L["Import.No"].Value,
            [L["Import.Meaning"].Value] = L[$"Import.Help.{kind}.{c.Key}"].Value,
            [L["Import.Example"].Value] = c.Example,
        }).ToList();
        using var stream = new MemoryStream();
        stream.SaveAs(new Dictionary<string, object>
        {
            [L["Import.SheetData"].Value] = new[] { example },
            [L["Import.SheetHelp"].Value] = help,
        }, excelType: ExcelType.XLSX);
        return stream.ToArray();
    }

    /// <summary>Every bad row: row, column, value as read, and the message in the reader's language.</summary>
    public static byte[] Report(ImportOutcome outcome, IStringLocalizer<SharedResource> L, CultureInfo culture)
    {
        var rows = outcome.Problems.Select(p => new Dictionary<string, object>
        {
            [L["Import.File"].Value] = Components.Shared.CsvText.Neutral(p.File ?? outcome.FileName),
            [L["Import.Row"].Value] = p.Row,
            [L["Import.Column"].Value] = ColumnHeader(p.File is null ? outcome.Kind : ImportKind.Payments, p.Column),
            [L["Import.Value"].Value] = Components.Shared.CsvText.SheetCell(p.Value)!,
            [L["Import.Message"].Value] = ErrorText.Render(p.Error, culture),
            [L["Import.Code"].Value] = p.Error.Code,
        }).ToList();
        if (rows.Count == 0)
            rows.Add(new Dictionary<string, object>
            {
                [L["Import.File"].Value] = outcome.FileName, [L["Import.Row"].Value] = "", [L["Import.Column"].Value] = "", [L["Import.Value"].Value] = "",
                [L["Import.Message"].Value] = L["Import.NoProblems"].Value, [L["Import.Code"].Value] = "",
            });
        using var stream = new MemoryStream();
        stream.SaveAs(new Dictionary<string, object>
        {
            [L["Import.SheetProblems"].Value] = rows,
            [L["Import.SheetSummary"].Value] = new[]
            {
                new Dictionary<string, object>
                {
                    [L["Import.File"].Value] = outcome.FileName, ["SHA-256"] = outcome.Sha256, [L["Import.Rows"].Value] = outcome.Rows,
                    [L["Import.Imported"].Value] = outcome.Imported, [L["Import.Unchanged"].Value] = outcome.Unchanged,
                    [L["Import.BadRows"].Value] = outcome.Problems.Select(p => p.Row).Distinct().Count(),
                },
            },
        }, excelType: ExcelType.XLSX);
        return stream.ToArray();
    }

    public static string ColumnHeader(ImportKind kind, string key) =>
        ImportLayout.ColumnsOf(kind).FirstOrDefault(c => c.Key == key) is { } c ? ImportLayout.HeaderOf(c) : key;
}
