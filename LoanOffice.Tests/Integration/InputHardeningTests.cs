using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LoanOffice.Data.Seeding;
using LoanOffice.Domain.Common;
using LoanOffice.Tests.Support;
using LoanOffice.Web.Components.Shared;
using LoanOffice.Web.Features.Applications;
using LoanOffice.Web.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;

namespace LoanOffice.Tests.Integration;

/// <summary>
/// The inputs that answered 500 to the probe (NUL in text, concurrent first files of a customer, dates of year 9999,
/// page 2,147,483,647, a control character in returnUrl, an export cut off mid-file) now answer a specific 4xx with
/// the field and leave the database as it was; and a fuzz run over the intake, calculator, simulator and report
/// endpoints finds no 500 and no partial row.
/// </summary>
public class InputHardeningTests : IClassFixture<IsolatedApp>, IAsyncLifetime
{
    private readonly IsolatedApp _app; // its own database: the fuzz run counts every row

    public InputHardeningTests(IsolatedApp app) => _app = app;

    public Task InitializeAsync() => TestDatabase.EnsureReadyAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private HttpClient Channel()
    {
        var client = _app.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", DemoCompanySeeder.DemoChannelKey);
        return client;
    }

    private static Dictionary<string, object?> Intake(string residentId) => new()
    {
        ["name"] = "李娜", ["residentId"] = residentId, ["mobile"] = "13912345678", ["district"] = "杭州市滨江区", ["productCode"] = "CREDIT",
        ["amount"] = 80_000m, ["months"] = 12, ["purpose"] = "装修", ["consent"] = true,
    };

    private Task<long> ApplicationsAsync() => _app.Sql.ScalarAsync<long>("SELECT count(*) FROM applications");

    private static async Task<(string? Code, string? Field)> ProblemAsync(HttpResponseMessage response)
    {
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return (json.GetProperty("code").GetString(), json.TryGetProperty("field", out var f) ? f.GetString() : null);
    }

    [Theory]
    [InlineData("name")]
    [InlineData("purpose")]
    [InlineData("district")]
    public async Task ANulInAnIntakeField_Is400NamingTheField_AndStoresNothing(string field)
    {
        var before = await ApplicationsAsync();
        var body = Intake(OriginationTests.NewResidentId());
        body[field] = "张\0三";
        var response = await Channel().PostAsJsonAsync("/api/v1/intake/applications", body);
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await ProblemAsync(response)).ShouldBe((ErrorCodes.ControlCharacters, field));
        (await ApplicationsAsync()).ShouldBe(before);

        // the public page's form goes through the service: refused there too, by field
        var request = new IntakeRequest("张\0三", OriginationTests.NewResidentId(), "13912345678", "杭州市滨江区", "CREDIT", 80_000m, 12, "装修", true);
        await using var scope = _app.Services.CreateAsyncScope();
        var refused = await scope.ServiceProvider.GetRequiredService<IntakeService>().SubmitAsync(request, "WEB", null);
        refused.Error!.Code.ShouldBe(ErrorCodes.ControlCharacters);
    }

    [Fact]
    public async Task ANulInASearch_Is400OnTheApi_AndIgnoredByTheSearchBoxes()
    {
        var lead = await _app.SignedInClientAsync("lead");
        var response = await lead.GetAsync("/api/v1/applications?search=%00abc");
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await ProblemAsync(response)).ShouldBe((ErrorCodes.ControlCharacters, "search"));
        LoanOffice.Web.Features.Search.SearchQueries.Clean(" S\0Q ").ShouldBe("SQ");
        var hits = await TestApplications.As(_app.Services, "lead", s => s.Get<LoanOffice.Web.Features.Search.SearchQueries>().SearchAsync("SQ\0"));
        hits.ShouldNotBeNull();
    }

    [Fact]
    public async Task ConcurrentFirstFilesOfANewCustomer_AllGoIn_WithOneCustomer()
    {
        var residentId = OriginationTests.NewResidentId();
        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Channel().PostAsJsonAsync("/api/v1/intake/applications", Intake(residentId))));
        responses.ShouldAllBe(r => r.StatusCode == HttpStatusCode.Created);
        var hash = await TestApplications.As(_app.Services, "admin", s => Task.FromResult(s.Get<LoanOffice.Data.Security.PersonalDataProtector>().LookupHash(residentId)));
        await using var db = _app.Sql.Db();
        (await db.Customers.CountAsync(c => c.ResidentIdHash == hash)).ShouldBe(1);
    }

    [Fact]
    public async Task DatesOfYear9999_AndPageIntMax_AreRefusedOrEmpty_NeverA500()
    {
        var officer = await _app.SignedInClientAsync("officer");
        var schedule = await officer.PostAsJsonAsync("/api/v1/calculator/schedule",
            new { method = "EqualInstallment", principal = 10000, annualRate = 0.08, months = 12, startDate = "9999-06-15" });
        schedule.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await ProblemAsync(schedule)).ShouldBe((ErrorCodes.DateOutOfRange, "startDate"));
        // the domain refuses it as well (the calculator page calls it directly)
        LoanOffice.Domain.Loans.ScheduleCalculator.Build(LoanOffice.Domain.Loans.RepaymentMethod.EqualInstallment, 10_000m, 0.08m, 12, new DateOnly(9999, 6, 15))
            .Error!.Code.ShouldBe(ErrorCodes.DateOutOfRange);

        var compliance = await _app.SignedInClientAsync("compliance");
        foreach (var url in new[] { "/api/v1/reports/DailyDisbursement.csv?from=0001-01-01&to=9999-12-31", "/api/v1/audit/export.csv?from=2026-01-01&to=9999-12-31" })
        {
            var export = await compliance.GetAsync(url);
            export.StatusCode.ShouldBe(HttpStatusCode.BadRequest, url);
            (await ProblemAsync(export)).Code.ShouldBe(ErrorCodes.DateOutOfRange, url);
        }

        var notADate = await compliance.GetAsync("/api/v1/audit/export.csv?from=yesterday");
        notADate.StatusCode.ShouldBe(HttpStatusCode.BadRequest); // refused before the first byte, not ignored
        (await ProblemAsync(notADate)).ShouldBe((ErrorCodes.NotADate, "from"));

        var gm = await _app.SignedInClientAsync("gm");
        foreach (var url in new[] { "/api/v1/loans?page=2147483647", "/api/v1/applications?page=2147483647&pageSize=200" })
        {
            var page = await gm.GetAsync(url);
            page.StatusCode.ShouldBe(HttpStatusCode.OK, url);
            JsonDocument.Parse(await page.Content.ReadAsStringAsync()).RootElement.GetProperty("items").GetArrayLength().ShouldBe(0, url);
        }
    }

    [Fact]
    public async Task AControlCharacterInReturnUrl_Is400_AndTheSignInTicketStillWorks()
    {
        var client = _app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        string ticket;
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var user = await scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<LoanOffice.Data.Identity.AppUser>>().FindByNameAsync("finance");
            ticket = scope.ServiceProvider.GetRequiredService<LoginTickets>().Issue(user!);
        }

        var bad = await client.GetAsync($"/account/complete-login?ticket={Uri.EscapeDataString(ticket)}&returnUrl=/loans%01");
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var good = await client.GetAsync($"/account/complete-login?ticket={Uri.EscapeDataString(ticket)}&returnUrl=/loans");
        good.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        good.Headers.Location!.ToString().ShouldBe("/loans");
        LoanOffice.Web.Features.Account.AccountEndpoints.SafeLocal("/loans\u0001").ShouldBe("/");
    }

    [Theory]
    [InlineData("=HYPERLINK(\"http://evil.example\",\"点此\")", "'=HYPERLINK(\"http://evil.example\",\"点此\")")]
    [InlineData("+86 139", "'+86 139")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("-12.50", "-12.50")]
    [InlineData("张三", "张三")]
    public void SpreadsheetCells_NeverStartAFormula(string value, string expected)
    {
        CsvText.SheetCell(value).ShouldBe(expected);
        CsvText.SheetCell(12.5m).ShouldBe(12.5m);
    }

    /// <summary>Malformed inputs, deterministic (seeded): what a probe or a broken client sends.</summary>
    private static IEnumerable<object?> Junk(Random random)
    {
        yield return null;
        yield return "";
        yield return "\0";
        yield return "a\u0001b";
        yield return new string('长', 5000);
        yield return -1;
        yield return 0;
        yield return 1e30;
        yield return decimal.MaxValue;
        yield return int.MaxValue;
        yield return "0001-01-01";
        yield return "9999-12-31";
        yield return "2026-02-30";
        yield return "NaN";
        yield return true;
        yield return new[] { 1, 2 };
        yield return new Dictionary<string, object> { ["x"] = 1 };
        yield return "<script>alert(1)</script>";
        yield return "'; DROP TABLE applications; --";
        yield return random.Next().ToString(System.Globalization.CultureInfo.InvariantCulture) + "\u007F";
    }

    [Fact]
    public async Task Fuzz_TheIntakeCalculatorSimulatorAndReports_OnlyEver4xxOr2xx_AndNoPartialRow()
    {
        var random = new Random(20261202);
        var officer = await _app.SignedInClientAsync("officer");
        var compliance = await _app.SignedInClientAsync("compliance");
        var channel = Channel();
        var before = await ApplicationsAsync();
        var created = 0;
        var sent = 0;

        async Task Check(HttpResponseMessage response, string what)
        {
            sent++;
            ((int)response.StatusCode).ShouldBeLessThan(500, what + " → " + await response.Content.ReadAsStringAsync());
        }

        var intakeFields = Intake("x").Keys.ToArray();
        var schedule = new Dictionary<string, object?> { ["method"] = "EqualInstallment", ["principal"] = 10000, ["annualRate"] = 0.08, ["months"] = 12, ["startDate"] = "2026-01-15" };
        var simulate = new Dictionary<string, object?>
        {
            ["method"] = "EqualInstallment", ["principal"] = "12000", ["annualRate"] = "0.18", ["months"] = 12, ["disbursed"] = "2025-01-20",
            ["penaltyMarkup"] = "0.50", ["graceDays"] = 0, ["payments"] = new[] { new { date = "2025-02-20", amount = "1100.16" } }, ["asOf"] = "2025-03-10",
        };
        for (var round = 0; round < 40; round++)
        {
            foreach (var junk in Junk(random))
            {
                // one field of a valid body replaced by junk, and a second one at random
                var intake = Intake(OriginationTests.NewResidentId());
                intake[intakeFields[random.Next(intakeFields.Length)]] = junk;
                if (random.Next(3) == 0) intake[intakeFields[random.Next(intakeFields.Length)]] = Junk(random).ElementAt(random.Next(20));
                var response = await channel.PostAsJsonAsync("/api/v1/intake/applications", intake);
                await Check(response, "intake " + JsonSerializer.Serialize(intake));
                if (response.StatusCode == HttpStatusCode.Created) created++;

                var s = new Dictionary<string, object?>(schedule) { [schedule.Keys.ElementAt(random.Next(schedule.Count))] = junk };
                await Check(await officer.PostAsJsonAsync("/api/v1/calculator/schedule", s), "schedule " + JsonSerializer.Serialize(s));
                var m = new Dictionary<string, object?>(simulate) { [simulate.Keys.ElementAt(random.Next(simulate.Count))] = junk };
                await Check(await officer.PostAsJsonAsync("/api/v1/calculator/simulate", m), "simulate " + JsonSerializer.Serialize(m));
            }

            // raw bodies: truncated, not JSON, wrong shape
            var valid = JsonSerializer.Serialize(Intake(OriginationTests.NewResidentId()));
            foreach (var raw in new[] { valid[..random.Next(1, valid.Length - 1)], "[]", "null", "\"text\"", "{\"amount\":", "\u0000", valid.Replace("80000", "8e400", StringComparison.Ordinal) })
            {
                var r = await channel.PostAsync("/api/v1/intake/applications", new StringContent(raw, Encoding.UTF8, "application/json"));
                await Check(r, "intake raw " + raw);
                if (r.StatusCode == HttpStatusCode.Created) created++;
                await Check(await officer.PostAsync("/api/v1/calculator/simulate", new StringContent(raw, Encoding.UTF8, "application/json")), "simulate raw " + raw);
            }

            // reports: names, formats and ranges
            var from = Junk(random).ElementAt(random.Next(20))?.ToString() ?? "";
            foreach (var url in new[]
                     {
                         $"/api/v1/reports/DailyDisbursement.csv?from={Uri.EscapeDataString(from)}&to=2026-12-01",
                         $"/api/v1/reports/Ageing.xlsx?from=2026-12-01&to={Uri.EscapeDataString(from)}",
                         $"/api/v1/reports/{Uri.EscapeDataString(from)}.csv?from=2026-11-01&to=2026-11-30",
                         $"/api/v1/reports/DailyDisbursement.csv?from=2026-12-01&to=2026-11-01&team={Uri.EscapeDataString(from)}",
                     })
                await Check(await compliance.GetAsync(url), url);
        }

        sent.ShouldBeGreaterThan(2_000);
        // every row that exists came with a 201: a refused request left nothing behind
        (await ApplicationsAsync()).ShouldBe(before + created);
    }
}
