using LoanOffice.Data.Origination;
using System.Globalization;
using LoanOffice.Data;
using LoanOffice.Web.Components.Shared;
using Microsoft.EntityFrameworkCore;

namespace LoanOffice.Web.Features.Servicing;

/// <summary><c>./loanoffice cob --date 2026-11-21</c> (runs the close, catching up) and <c>./loanoffice cob --status</c>.</summary>
public static class CloseOfBusinessCommand
{
    public static async Task<int> RunAsync(IServiceProvider services, string[] args, CancellationToken ct)
    {
        if (args is ["--status"]) return await StatusAsync(services, ct);
        if (args is not ["--date", var text])
        {
            await Console.Error.WriteLineAsync("usage: cob --date yyyy-MM-dd | cob --status");
            return 2;
        }

        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            await Console.Error.WriteLineAsync($"cob: '{text}' is not a date (yyyy-MM-dd)");
            return 2;
        }

        var close = services.GetRequiredService<CloseOfBusiness>();
        var progress = new Progress<CloseProgress>(p => Console.Error.Write($"\r{Fmt.Date(p.BusinessDate)}: {p.Closed}/{p.ToClose} loans"));
        var result = await close.RunThroughAsync(date, "cli:" + Environment.UserName, progress, ct: ct);
        Console.Error.Write("\r");
        if (!result.IsSuccess)
        {
            await Console.Error.WriteLineAsync("cob: " + result.Error!.Message);
            return 2;
        }

        foreach (var r in result.Value!)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"cob {Fmt.Date(r.BusinessDate)}: {r.Status}, {r.LoansClosed} loans closed, {r.Accruals} accruals, {r.ClassChanges} class changes, {r.Reminders} reminders, {r.CasesOpened} cases opened, {r.CasesClosed} closed, {r.Failures} failures in {r.Duration.TotalSeconds:0.0} s"));
        }

        return result.Value!.Any(r => r.Failures > 0) ? 1 : 0;
    }

    private static async Task<int> StatusAsync(IServiceProvider services, CancellationToken ct)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<LoanOfficeDbContext>>().CreateDbContextAsync(ct);
        var runs = await db.CobRuns.AsNoTracking().OrderByDescending(r => r.Id).Take(20).ToListAsync(ct);
        var behind = await db.Loans.Where(l => Loan.OpenStatuses.Contains(l.Status)).MinAsync(l => (DateOnly?)l.RestsUntil, ct);
        Console.WriteLine(behind is null ? "No active loans." : $"Every active loan is closed through {Fmt.Date(behind.Value)} or later.");
        if (runs.Count == 0)
        {
            Console.WriteLine("No close of business has run yet.");
            return 0;
        }

        Console.WriteLine("date        status                 started (CST)        seconds  loans         accruals  classes  reminders  cases+/-   failures  node / by");
        foreach (var r in runs)
        {
            var seconds = r.FinishedAt is { } f ? (f - r.StartedAt).TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) : "…";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{Fmt.Date(r.BusinessDate)}  {r.Status,-21}  {Fmt.DateTimeSeconds(r.StartedAt),-19}  {seconds,7}  {r.LoansClosed,6}/{r.LoansToClose,-6}  {r.Accruals,8}  {r.ClassChanges,7}  {r.Reminders,9}  {r.CasesOpened,4}/{r.CasesClosed,-4}  {r.Failures,8}  {r.Node} / {r.TriggeredBy}"));
            if (r.Error is not null) Console.WriteLine("            error: " + r.Error);
        }

        return 0;
    }
}
