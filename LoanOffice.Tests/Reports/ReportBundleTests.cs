using System.IO.Compression;
using System.Net;
using LoanOffice.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Shouldly;

namespace LoanOffice.Tests.Reports;

/// <summary>Approval reports in bulk: a streamed ZIP with one recorded report per application of the period.</summary>
public class ReportBundleTests : IClassFixture<AppFactory>, IAsyncLifetime
{
    private readonly AppFactory _app;

    public ReportBundleTests(AppFactory app) => _app = app;

    public Task InitializeAsync() => TestDatabase.EnsureReadyAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task TheZip_HoldsOneRecordedReportPerApplicationOfThePeriodAndTeam()
    {
        var a = await TestApplications.CollectingAsync(_app.Services, "杭州市西湖区", "officer", "lead");
        var b = await TestApplications.CollectingAsync(_app.Services, "杭州市西湖区", "officer", "lead");
        await using var db = TestSql.Shared.Db();
        // a quiet day of its own: these two applications were received on 2020-02-02 (China time)
        await TestSql.Shared.ExecAsync("""UPDATE applications SET "ReceivedAt" = TIMESTAMPTZ '2020-02-02 10:00:00+08' WHERE "Id" = ANY(@ids)""", ("ids", new[] { a, b }));
        var team = await db.Applications.Where(x => x.Id == a).Select(x => x.TeamId).SingleAsync();
        var numbers = await db.Applications.Where(x => x.Id == a || x.Id == b).Select(x => x.Number).ToListAsync();

        var compliance = await _app.SignedInClientAsync("compliance");
        var response = await compliance.GetAsync($"/api/v1/reports/approval-reports.zip?from=2020-02-02&to=2020-02-02&team={team}", HttpCompletionOption.ResponseHeadersRead);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/zip");
        response.Content.Headers.ContentLength.ShouldBeNull("streamed, not buffered");
        await using var body = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        using var zip = new ZipArchive(body, ZipArchiveMode.Read);
        zip.Entries.Count.ShouldBe(2);
        zip.Entries.Select(e => e.Name[..e.Name.IndexOf("-BG", StringComparison.Ordinal)]).Order().ShouldBe(numbers.Order());
        foreach (var entry in zip.Entries)
        {
            await using var pdf = entry.Open();
            var head = new byte[5];
            await pdf.ReadExactlyAsync(head);
            head.ShouldBe("%PDF-"u8.ToArray());
        }

        (await db.ApprovalReports.CountAsync(r => r.ApplicationId == a || r.ApplicationId == b)).ShouldBe(2, "each report in the ZIP is recorded");
        (await compliance.GetAsync("/api/v1/reports/approval-reports.zip?from=2020-02-03&to=2020-02-01")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await (await _app.SignedInClientAsync("officer")).GetAsync("/api/v1/reports/approval-reports.zip?from=2020-02-02&to=2020-02-02")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }
}
