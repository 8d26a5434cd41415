using System.Globalization;
using LoanOffice.Domain.Import;
using LoanOffice.Web.Features.Import;
using LoanOffice.Web.Hosting;
using LoanOffice.Web.Resources;
using Microsoft.Extensions.Localization;

namespace LoanOffice.Web.Ops;

/// <summary>
/// <c>./loanoffice import customers|loans|payments FILE [--dry-run] [--clean-rows-only] [--report REPORT.xlsx]</c>: the
/// migration import of the admin page from the command line. Prints a summary and each bad row (row, column, value,
/// message); exit 0 when the file was imported (or, in a dry run, is clean), 1 when rows were refused, 2 on bad usage.
/// </summary>
public static class ImportCommand
{
    public static async Task<int> RunAsync(IServiceProvider services, string[] args, CancellationToken ct)
    {
        const string usage = "usage: import customers|loans|payments FILE.xlsx|FILE.csv [--payments FILE (with loans)] [--dry-run] [--clean-rows-only] [--report REPORT.xlsx]";
        if (args.Length < 2 || !Enum.TryParse<ImportKind>(args[0], ignoreCase: true, out var kind) || !Enum.IsDefined(kind) || args[0].All(char.IsDigit))
        {
            await Console.Error.WriteLineAsync(usage);
            return 2;
        }

        var path = Resolve(args[1]);
        if (!File.Exists(path))
        {
            await Console.Error.WriteLineAsync($"import: no such file: {path}");
            return 2;
        }

        string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        var options = new ImportOptions(args.Contains("--dry-run"), args.Contains("--clean-rows-only"));
        var culture = CultureInfo.GetCultureInfo(Environment.GetEnvironmentVariable("LOANOFFICE_LANG") is "en" ? "en" : "zh-CN");
        CultureInfo.CurrentUICulture = culture;
        var progress = new Progress<ImportProgress>(p => Console.Error.Write($"\r{p.Stage} {p.Done}/{p.Total}   "));
        var importer = services.GetRequiredService<ImportService>();
        var upload = new ImportUpload(Path.GetFileName(path), await File.ReadAllBytesAsync(path, ct));
        var paymentsPath = Option("--payments") is { } pp ? Resolve(pp) : null;
        if (paymentsPath is not null && (kind != ImportKind.Loans || !File.Exists(paymentsPath)))
        {
            await Console.Error.WriteLineAsync(kind != ImportKind.Loans ? "import: --payments goes with a loans file" : $"import: no such file: {paymentsPath}");
            return 2;
        }

        var result = paymentsPath is null
            ? await importer.ImportAsync(kind, upload.FileName, upload.Content, options, ImportActor.System(Environment.UserName), progress, ct)
            : await importer.ImportLoansAsync(upload, new ImportUpload(Path.GetFileName(paymentsPath), await File.ReadAllBytesAsync(paymentsPath, ct)),
                options, ImportActor.System(Environment.UserName), progress, ct);
        await Console.Error.WriteLineAsync();
        if (!result.IsSuccess)
        {
            foreach (var e in result.Error!.All) await Console.Error.WriteLineAsync($"import: {ErrorText.Render(e, culture)}");
            return 1;
        }

        var o = result.Value!;
        var badRows = o.Problems.Select(p => p.Row).Distinct().Count();
        Console.WriteLine($"{o.FileName} sha256={o.Sha256}: {o.Rows} rows, {(o.DryRun ? "would import" : "imported")} {o.Imported}, unchanged {o.Unchanged}, bad rows {badRows}"
                          + (o.Applied || o.DryRun || badRows == 0 ? "" : " — nothing imported (fix the rows, or use --clean-rows-only)")
                          + $" ({o.Elapsed.TotalSeconds:0.0} s)");
        if (o.Payments is { } pay)
            Console.WriteLine($"{pay.FileName} sha256={pay.Sha256}: {pay.Rows} rows, {(o.DryRun ? "would import" : "imported")} {pay.Imported}, unchanged {pay.Unchanged}");
        foreach (var p in o.Problems)
            Console.WriteLine($"  {(p.File is null ? "" : p.File + " ")}row {p.Row}, {ImportDocuments.ColumnHeader(p.File is null ? kind : ImportKind.Payments, p.Column)}, \"{p.Value}\": {ErrorText.Render(p.Error, culture)} [{p.Error.Code}]");
        if (Option("--report") is { } report)
        {
            var L = services.GetRequiredService<IStringLocalizer<SharedResource>>();
            await File.WriteAllBytesAsync(Resolve(report), ImportDocuments.Report(o, L, culture), ct);
        }

        return badRows > 0 && !o.Applied ? 1 : 0;
    }

    private static string Resolve(string path) =>
        Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(Environment.GetEnvironmentVariable("LOANOFFICE_CALLER_DIR") ?? Environment.CurrentDirectory, path));
}
