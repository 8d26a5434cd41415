using System.Globalization;
using System.Text;
using LoanOffice.Web.Components.Shared;
using LoanOffice.Web.Security;
using MiniExcelLibs;

namespace LoanOffice.Web.Features.Audit;

/// <summary>Exports of a filtered audit trail (CSV and Excel), streamed: the same filter as the page, newest first.</summary>
public static class AuditEndpoints
{
    private static readonly string[] Header = ["Seq", "Time (China)", "Actor", "IP", "Entity", "Key", "Action", "Changes", "SHA-256"];

    public static IEndpointRouteBuilder MapAuditEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/audit").RequireAuthorization(Policies.ReadAudit).WithTags("Audit");
        group.MapGet("/export.csv", async (HttpContext http, AuditQueries queries, CancellationToken ct) =>
        {
            http.Response.ContentType = "text/csv; charset=utf-8";
            http.Response.Headers.ContentDisposition = $"attachment; filename=\"audit-{DateTime.UtcNow:yyyyMMddHHmmss}.csv\"";
            await using var writer = new StreamWriter(http.Response.Body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), 64 * 1024);
            await writer.WriteLineAsync(string.Join(',', Header));
            await foreach (var r in queries.StreamAsync(FilterFrom(http.Request.Query), ct))
                await writer.WriteLineAsync(string.Join(',', Cells(r).Select(CsvText.Cell)));
            await writer.FlushAsync(ct);
        });
        group.MapGet("/export.xlsx", async (HttpContext http, AuditQueries queries, CancellationToken ct) =>
        {
            // MiniExcel writes row by row into a temporary file, which is then streamed: memory stays flat
            var path = Path.Combine(Path.GetTempPath(), $"audit-{Guid.NewGuid():N}.xlsx");
            try
            {
                var rows = queries.StreamAsync(FilterFrom(http.Request.Query), ct).ToBlockingEnumerable(ct)
                    .Select(r => Header.Zip(Cells(r)).ToDictionary(p => p.First, p => (object)p.Second));
                await using (var file = File.Create(path)) await file.SaveAsAsync(rows, cancellationToken: ct);
                http.Response.ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
                http.Response.Headers.ContentDisposition = $"attachment; filename=\"audit-{DateTime.UtcNow:yyyyMMddHHmmss}.xlsx\"";
                await http.Response.SendFileAsync(path, ct);
            }
            finally
            {
                File.Delete(path);
            }
        });
        return app;
    }

    private static AuditFilter FilterFrom(IQueryCollection q)
    {
        static DateOnly? Date(string? s) => DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
        return new AuditFilter(q["entityType"], q["entityKey"], q["actor"], Date(q["from"]), Date(q["to"]), q["action"], q["ip"]);
    }

    private static IEnumerable<string> Cells(AuditRow r) =>
    [
        r.Sequence.ToString(CultureInfo.InvariantCulture), Fmt.DateTimeSeconds(r.OccurredAt), r.Actor, r.ClientIp ?? "", r.EntityType, r.EntityKey, r.Action,
        string.Join("; ", AuditDiff.Parse(r.Changes).Select(c => $"{c.Field}: {c.Before ?? "—"} → {c.After ?? "—"}")), r.Hash,
    ];

}
