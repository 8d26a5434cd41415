using LoanOffice.Web.Hosting;
using System.IO.Compression;
using LoanOffice.Domain.Applications;
using LoanOffice.Domain.Common;
using LoanOffice.Web.Features.Applications;
using Microsoft.EntityFrameworkCore;

namespace LoanOffice.Web.Features.Reports;

public sealed record BundleFilter(DateOnly From, DateOnly To, Guid? TeamId);

/// <summary>
/// Approval reports in bulk for Compliance: every application received in a date range (optionally one team) within
/// the user's scope, each report generated and recorded as if downloaded alone, written one by one into a ZIP that
/// streams to the client — only one report is in memory at a time.
/// </summary>
public sealed class ReportBundleService(ActorContext context, ApprovalReportService reports)
{
    public const int MaxReports = 10_000;

    public static Error? Validate(BundleFilter f) =>
        f.To < f.From ? Error.Of(ErrorCodes.ReportEndBeforeStart).At("to")
        : f.To.DayNumber - f.From.DayNumber > 366 ? Error.Of(ErrorCodes.ReportAtMostOneYear).At("to")
        : null;

    /// <summary>The applications the bundle holds, oldest first.</summary>
    public async Task<IReadOnlyList<(Guid Id, string Number)>> SelectAsync(BundleFilter f, CancellationToken ct = default)
    {
        var scope = await context.ScopeAsync(ct);
        await using var db = await context.OpenAsync(ct);
        var from = Audit.AuditQueries.StartOfChinaDay(f.From);
        var to = Audit.AuditQueries.StartOfChinaDay(f.To.AddDays(1));
        var query = db.Applications.AsNoTracking().Where(a => a.ReceivedAt >= from && a.ReceivedAt < to);
        if (f.TeamId is { } team) query = query.Where(a => a.TeamId == team);
        if (!scope.SeesAll) query = query.Where(a => scope.TeamIds.Contains(a.TeamId));
        var rows = await query.OrderBy(a => a.ReceivedAt).Select(a => new { a.Id, a.Number, a.TeamId, a.AssignedOfficerId, a.State }).Take(MaxReports + 1).ToListAsync(ct);
        return rows.Where(a => ActorContext.MaySee(scope, a.TeamId, a.AssignedOfficerId, a.State)).Select(a => (a.Id, a.Number)).ToList();
    }

    /// <summary>Writes the ZIP to <paramref name="output"/> (a non-seekable response body is fine).</summary>
    public async Task<int> WriteZipAsync(BundleFilter f, Stream output, Action<int, int>? progress = null, CancellationToken ct = default)
    {
        var applications = await SelectAsync(f, ct);
        var total = Math.Min(applications.Count, MaxReports);
        progress?.Invoke(0, total);
        using var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        var done = 0;
        foreach (var (id, number) in applications.Take(MaxReports))
        {
            var report = await reports.GenerateAsync(id, ct);
            if (!report.IsSuccess) continue;
            var entry = zip.CreateEntry($"{number}-{report.Value!.Number}.pdf", CompressionLevel.Fastest);
            await using (var stream = entry.Open()) await stream.WriteAsync(report.Value.Pdf, ct);
            await output.FlushAsync(ct);
            progress?.Invoke(++done, total);
        }

        return done;
    }
}
