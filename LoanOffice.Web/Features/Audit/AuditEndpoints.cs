using System.Globalization;
using System.Text;
using LoanOffice.Web.Components.Shared;
using LoanOffice.Web.Security;
using LoanOffice.Web.Resources;
using Microsoft.Extensions.Localization;
using MiniExcelLibs;

namespace LoanOffice.Web.Features.Audit;

/// <summary>Exports of a filtered audit trail (CSV and Excel), streamed: the same filter as the page, newest first.</summary>
public static class AuditEndpoints
{
    /// <summary>The column titles in the user's language (resx AuditExport.*); SHA-256 and IP stay as they are.</summary>
    private static string[] Header(IStringLocalizer L) =>
        [L["AuditExport.Seq"], L["AuditExport.Time"], L["Audit.Actor"], "IP", L["Audit.EntityType"], L["Audit.EntityKey"], L["Audit.Action"], L["Audit.Changes"], "SHA-256"];

    public static IEndpointRouteBuilder MapAuditEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/audit").RequireAuthorization(Policies.ReadAudit).WithTags("Audit");
        group.MapGet("/export.csv", async (HttpContext http, AuditQueries queries, IStringLocalizer<SharedResource> L, CancellationToken ct) =>
        {
            // the filter is checked before the first byte: a refusal is a 400, never a 200 cut off mid-file
            var filter = FilterFrom(http.Request.Query);
            if (!filter.IsSuccess) return Hosting.Problems.From(filter.Error!);
            http.Response.ContentType = "text/csv; charset=utf-8";
            http.Response.Headers.ContentDisposition = $"attachment; filename=\"audit-{DateTime.UtcNow:yyyyMMddHHmmss}.csv\"";
            await using var writer = new StreamWriter(http.Response.Body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), 64 * 1024);
            await writer.WriteLineAsync(string.Join(',', Header(L).Select(CsvText.Cell)));
            await foreach (var r in queries.StreamAsync(filter.Value!, ct))
                await writer.WriteLineAsync(string.Join(',', Cells(r, L).Select(CsvText.Cell)));
            await writer.FlushAsync(ct);
            return Results.Empty;
        });
        group.MapGet("/export.xlsx", async (HttpContext http, AuditQueries queries, IStringLocalizer<SharedResource> L, CancellationToken ct) =>
        {
            var filter = FilterFrom(http.Request.Query);
            if (!filter.IsSuccess) return Hosting.Problems.From(filter.Error!);
            // MiniExcel writes row by row into a temporary file, which is then streamed: memory stays flat
            var path = Path.Combine(Path.GetTempPath(), $"audit-{Guid.NewGuid():N}.xlsx");
            try
            {
                var rows = queries.StreamAsync(filter.Value!, ct).ToBlockingEnumerable(ct)
                    .Select(r => Header(L).Zip(Cells(r, L)).ToDictionary(p => p.First, p => (object)CsvText.Neutral(p.Second)));
                await using (var file = File.Create(path)) await file.SaveAsAsync(rows, cancellationToken: ct);
                http.Response.ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
                http.Response.Headers.ContentDisposition = $"attachment; filename=\"audit-{DateTime.UtcNow:yyyyMMddHHmmss}.xlsx\"";
                await http.Response.SendFileAsync(path, ct);
            }
            finally
            {
                File.Delete(path);
            }

            return Results.Empty;
        });
        return app;
    }

    /// <summary>The page's filter from the query; a date that is not one (or out of range) is refused, not ignored.</summary>
    private static Domain.Common.Result<AuditFilter> FilterFrom(IQueryCollection q)
    {
        var errors = new List<Domain.Common.Error>();
        DateOnly? Date(string field)
        {
            var text = q[field].ToString();
            if (text.Length == 0) return null;
            if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
                errors.Add(Domain.Common.Error.Of(Domain.Common.ErrorCodes.NotADate, text).At(field));
            else if (!Domain.Common.BusinessDates.InRange(d)) errors.Add(Domain.Common.BusinessDates.Refusal(field, d));
            else return d;
            return null;
        }

        var filter = new AuditFilter(q["entityType"], q["entityKey"], q["actor"], Date("from"), Date("to"), q["action"], q["ip"]);
        return Domain.Common.Error.Combine(errors) is { } invalid ? invalid : filter;
    }

    /// <summary>A row as people read it (business names, the actor and action in the user's language); the key and hash as stored.</summary>
    private static IEnumerable<string> Cells(AuditRow r, IStringLocalizer L) =>
    [
        r.Sequence.ToString(CultureInfo.InvariantCulture), Fmt.DateTimeSeconds(r.OccurredAt), ActorLabel.Of(r.Actor, L), r.ClientIp ?? "",
        AuditNames.Entity(r.EntityType, L), r.EntityKey, L["Audit.Action." + r.Action],
        string.Join("; ", AuditDiff.Parse(r.Changes).Select(c => $"{AuditNames.Field(c.Field, L)}: {c.Before ?? "—"} → {c.After ?? "—"}")), r.Hash,
    ];

}
