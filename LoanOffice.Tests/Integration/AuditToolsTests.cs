using System.Net;
using LoanOffice.Tests.Support;
using LoanOffice.Web.Features.Audit;
using MiniExcelLibs;
using Shouldly;

namespace LoanOffice.Tests.Integration;

/// <summary>Audit-trail tools: search by action and IP, CSV and Excel exports of exactly what the filter selects.</summary>
public class AuditToolsTests : IClassFixture<AppFactory>, IAsyncLifetime
{
    private readonly AppFactory _app;

    public AuditToolsTests(AppFactory app) => _app = app;

    public Task InitializeAsync() => TestDatabase.EnsureReadyAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private Task<LoanOffice.Web.Components.Shared.PagedResult<AuditRow>> SearchAsync(AuditFilter filter) =>
        TestApplications.As(_app.Services, "compliance", s => s.Get<AuditQueries>().SearchAsync(filter, 0, 10_000));

    [Fact]
    public async Task TheExports_ContainExactlyTheFilteredRows_NewestFirst()
    {
        // a fresh application gives its own audit rows to filter on
        var id = await TestApplications.CollectingAsync(_app.Services, "杭州市西湖区", "officer", "lead");
        var filter = new AuditFilter("LoanApplication", id.ToString(), null, null, null);
        var shown = await SearchAsync(filter);
        shown.Total.ShouldBeGreaterThanOrEqualTo(3);
        (await SearchAsync(filter with { Action = "Created" })).Items.ShouldAllBe(r => r.Action == "Created");
        (await SearchAsync(filter with { Action = "Updated" })).Total.ShouldBe(shown.Items.Count(r => r.Action == "Updated"));
        // by IP: the rows written from an address (the test host records one for HTTP requests; service calls have none)
        (await SearchAsync(filter with { Ip = "203.0.113." })).Total.ShouldBe(0, "no row came from that address");
        if (shown.Items.FirstOrDefault(r => r.ClientIp is not null)?.ClientIp is { } ip)
            (await SearchAsync(filter with { Ip = ip })).Items.ShouldAllBe(r => r.ClientIp!.StartsWith(ip, StringComparison.Ordinal));

        var client = await _app.SignedInClientAsync("compliance");
        var csv = await client.GetStringAsync($"/api/v1/audit/export.csv?entityType=LoanApplication&entityKey={id}");
        var lines = csv.TrimStart('\uFEFF').Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].ShouldStartWith("序号,时间（北京时间）,操作人,IP,记录类型,记录编号,操作,变更内容,SHA-256"); // in the user's language (the default, Chinese)
        lines.Length.ShouldBe(shown.Total + 1);
        lines.Skip(1).Select(l => long.Parse(l.Split(',')[0], System.Globalization.CultureInfo.InvariantCulture)).ShouldBe(shown.Items.Select(r => r.Sequence));
        csv.ShouldContain(shown.Items[0].Hash);

        var xlsx = await client.GetAsync($"/api/v1/audit/export.xlsx?entityType=LoanApplication&entityKey={id}");
        xlsx.StatusCode.ShouldBe(HttpStatusCode.OK);
        await using var stream = new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync());
        var rows = stream.Query(useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
        rows.Count.ShouldBe(shown.Total);
        rows.Select(r => r["SHA-256"]?.ToString()).ShouldBe(shown.Items.Select(r => r.Hash));
    }

    [Fact]
    public async Task OnlyComplianceAndAdmin_ExportTheTrail_AndSeeTheChainCheck()
    {
        var officer = await _app.SignedInClientAsync("officer");
        (await officer.GetAsync("/api/v1/audit/export.csv")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var compliance = await _app.SignedInClientAsync("compliance");
        var page = await compliance.GetStringAsync("/audit/verify");
        page.ShouldContain("data-test=\"audit-verify-run\"");
    }
}
