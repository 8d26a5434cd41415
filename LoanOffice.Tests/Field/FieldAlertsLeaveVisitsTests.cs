using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LoanOffice.Data.Security;
using LoanOffice.Domain.Common;
using LoanOffice.Domain.Field;
using LoanOffice.Tests.Integration;
using LoanOffice.Tests.Support;
using LoanOffice.Web.Features.Field;
using LoanOffice.Web.Features.Servicing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Shouldly;
using static LoanOffice.Tests.Support.TestApplications;

namespace LoanOffice.Tests.Field;

/// <summary>
/// Offline alerts with the fake clock (silent 11 minutes → one SMS to the officer's phone; 31 → one alert to the
/// lead; on leave or signed out → none; three runs → still one each), leave and its escalation, and visits verified
/// against the track posted through the app's API.
/// </summary>
public class FieldAlertsLeaveVisitsTests(IsolatedApp app) : ServicingTestBase(app)
{
    private Task<OfflineRun> RunAlertsAsync() => As(App.Services, "admin", s => s.Get<OfflineAlerts>().RunAsync());

    private Task<long> CountAsync(string user, string kind) => Sql.ScalarAsync<long>("""
        SELECT count(*) FROM notifications n JOIN "AspNetUsers" u ON u."Id" = n."UserId" WHERE u."UserName" = @u AND n."Kind" = @k
        """, ("u", user), ("k", kind));

    [Fact]
    public async Task ASilentOfficer_GetsOneSms_ThenTheLeadOneAlert_AndLeaveOrSignOutKeepQuiet()
    {
        await Sql.ExecAsync("""UPDATE "AspNetUsers" SET "PhoneNumber" = '13900001111' WHERE "UserName" = 'officer'""");
        var client = App.CreateClient();
        var officer = await FieldDeviceClient.RegisterAsync(client, "officer", () => App.Clock.GetUtcNow());
        await officer.SignInAsync(30.2741, 120.1551);
        await officer.PingAsync(1, 30.2745, 120.1555);

        App.Clock.Advance(TimeSpan.FromMinutes(9));
        (await RunAlertsAsync()).ShouldBe(new OfflineRun(0, 0, 0), "nine minutes is not silence yet");

        App.Clock.Advance(TimeSpan.FromMinutes(2));
        for (var i = 0; i < 3; i++) await RunAlertsAsync();
        (await CountAsync("officer", "FieldOffline")).ShouldBe(1L, "one SMS for the silence, however often the job runs");
        (await CountAsync("lead", "FieldOfflineLead")).ShouldBe(0L);
        var body = await Sql.ScalarAsync<string>("""SELECT n."Body" FROM notifications n WHERE n."Kind" = 'FieldOffline'""");
        body.ShouldContain("11 分钟");
        body.ShouldContain("App 已停止", customMessage: "what the phone last reported: neither points nor heartbeats");

        // the SMS goes to the officer's own phone through the outbox
        await using (var gateway = await FakeSmsGateway.StartAsync())
        {
            var dispatcher = new NotificationDispatcher(App.Services.GetRequiredService<NpgsqlDataSource>(), App.Services.GetRequiredService<IHttpClientFactory>(),
                App.Services.GetRequiredService<PersonalDataProtector>(), Options.Create(new SmsOptions { GatewayUrl = gateway.SmsUrl, BatchSize = 1000 }),
                NullLogger<NotificationDispatcher>.Instance);
            await Sql.ExecAsync("""UPDATE notifications SET "NextAttemptAt" = now() + interval '100 years' WHERE "Status" = 'Pending' AND "Kind" <> 'FieldOffline'""");
            await dispatcher.DispatchDueAsync();
            var sms = gateway.Received.ShouldHaveSingleItem();
            sms.To.ShouldBe("13900001111");
            sms.Text.ShouldBe(body);
        }

        App.Clock.Advance(TimeSpan.FromMinutes(20));
        for (var i = 0; i < 3; i++) await RunAlertsAsync();
        (await CountAsync("lead", "FieldOfflineLead")).ShouldBe(1L, "31 minutes: one in-app alert to the team's lead");
        (await CountAsync("officer", "FieldOffline")).ShouldBe(1L);
        (await CountAsync("lead.sh", "FieldOfflineLead")).ShouldBe(0L, "another team's lead hears nothing");
        var lead = await As(App.Services, "lead", s => s.Get<NotificationQueries>().RecentAsync(10));
        lead.ShouldContain(n => n.Kind == "FieldOfflineLead" && n.Body.Contains("孙伟") && n.Body.Contains("31 分钟"));

        // the phone comes back: a new silence later raises a new SMS
        await officer.PingAsync(2, 30.2750, 120.1560);
        App.Clock.Advance(TimeSpan.FromMinutes(11));
        await RunAlertsAsync();
        (await CountAsync("officer", "FieldOffline")).ShouldBe(2L);

        // after 签退 nothing is watched
        (await officer.SendAsync("/api/v1/field/sign-out", new { at = App.Clock.GetUtcNow(), latitude = 30.2750, longitude = 120.1560, accuracy = 9 }))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        App.Clock.Advance(TimeSpan.FromMinutes(40));
        (await RunAlertsAsync()).Silent.ShouldBe(0);

        // approved leave keeps quiet too (an officer signed in from a phone but on leave today)
        var sh = await FieldDeviceClient.RegisterAsync(client, "officer.sh", () => App.Clock.GetUtcNow());
        await sh.SignInAsync(31.2304, 121.4737);
        var today = LoanOffice.Web.Components.Shared.Fmt.ChinaDate(App.Clock.GetUtcNow());
        var asked = await As(App.Services, "officer.sh", s => s.Get<LeaveService>().RequestAsync(new LeaveForm(LeaveType.Personal, today, today, "家中有事")));
        Ok(await As(App.Services, "lead.sh", s => s.Get<LeaveService>().DecideAsync(asked.Value!.Id, new LeaveDecision(true, null, asked.Value.Version))));
        App.Clock.Advance(TimeSpan.FromMinutes(45));
        (await RunAlertsAsync()).Silent.ShouldBe(0, "on approved leave");
        (await CountAsync("officer.sh", "FieldOffline")).ShouldBe(0L);
    }

    [Fact]
    public async Task Leave_GoesToTheLead_PastTheLeadsLimitToTheDirector_FromTheAppOrTheWeb()
    {
        var client = App.CreateClient();
        var phone = await FieldDeviceClient.RegisterAsync(client, "officer", () => App.Clock.GetUtcNow());
        var today = LoanOffice.Web.Components.Shared.Fmt.ChinaDate(App.Clock.GetUtcNow());

        // two days from the app: the lead decides
        var fromApp = await phone.SendAsync("/api/v1/field/leave", new { type = "Sick", from = today.AddDays(1), to = today.AddDays(2), reason = "发烧" });
        fromApp.StatusCode.ShouldBe(HttpStatusCode.Created, await fromApp.Content.ReadAsStringAsync());
        var two = await fromApp.Content.ReadFromJsonAsync<JsonElement>();
        two.GetProperty("approver").GetString().ShouldBe("TeamLead");
        two.GetProperty("requestedVia").GetString().ShouldBe("app");
        (await CountAsync("lead", "LeaveRequested")).ShouldBe(1L);
        (await CountAsync("director", "LeaveRequested")).ShouldBe(0L);
        var overlapping = await phone.SendAsync("/api/v1/field/leave", new { type = "Annual", from = today.AddDays(2), to = today.AddDays(3), reason = "探亲" });
        overlapping.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await overlapping.Content.ReadAsStringAsync()).ShouldContain(ErrorCodes.LeaveOverlaps);

        var waiting = await As(App.Services, "lead", s => s.Get<LeaveService>().WaitingForMeAsync());
        var row = waiting.Value!.ShouldHaveSingleItem();
        (await As(App.Services, "lead.sh", s => s.Get<LeaveService>().DecideAsync(row.Id, new LeaveDecision(true, null, row.Version)))).Error!.Code
            .ShouldBe(ErrorCodes.NotFound, "another team's lead does not even see it");
        Ok(await As(App.Services, "lead", s => s.Get<LeaveService>().DecideAsync(row.Id, new LeaveDecision(true, null, row.Version))));
        (await As(App.Services, "lead", s => s.Get<LeaveService>().DecideAsync(row.Id, new LeaveDecision(true, null, row.Version)))).Error!.Code
            .ShouldBe(ErrorCodes.LeaveNotPending, "decided once");
        (await CountAsync("officer", "LeaveDecided")).ShouldBe(1L);

        // five days from the web: past the lead's limit (3), the regional director decides
        var five = await As(App.Services, "officer", s => s.Get<LeaveService>().RequestAsync(new LeaveForm(LeaveType.Annual, today.AddDays(10), today.AddDays(14), "年假")));
        five.Value!.Approver.ShouldBe(LeaveApprover.RegionalDirector);
        (await CountAsync("director", "LeaveRequested")).ShouldBe(1L);
        (await CountAsync("lead", "LeaveRequested")).ShouldBe(1L, "the lead is not asked");
        (await As(App.Services, "lead", s => s.Get<LeaveService>().WaitingForMeAsync())).Value!.ShouldBeEmpty();
        (await As(App.Services, "lead", s => s.Get<LeaveService>().DecideAsync(five.Value.Id, new LeaveDecision(true, null, five.Value.Version)))).Error!.Code
            .ShouldBe(ErrorCodes.LeaveBeyondLeadLimit);
        (await As(App.Services, "director", s => s.Get<LeaveService>().WaitingForMeAsync())).Value!.ShouldHaveSingleItem().Days.ShouldBe(5);
        Ok(await As(App.Services, "director", s => s.Get<LeaveService>().DecideAsync(five.Value.Id, new LeaveDecision(false, "月底放款高峰", five.Value.Version))));

        var mine = await phone.GetAsync("/api/v1/field/leave");
        mine.StatusCode.ShouldBe(HttpStatusCode.OK, await mine.Content.ReadAsStringAsync());
        (await mine.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().Select(l => l.GetProperty("status").GetString()).ShouldBe(["Rejected", "Approved"]);
        var calendar = await As(App.Services, "lead", s => s.Get<LeaveService>().CalendarAsync(today, today.AddDays(30)));
        calendar.Value!.ShouldHaveSingleItem().Status.ShouldBe(LeaveStatus.Approved);
        (await Sql.ScalarAsync<long>("""SELECT count(*) FROM audit_log WHERE entity_type = 'LeaveRequest'""")).ShouldBeGreaterThanOrEqualTo(4L, "requests and decisions are audited");
    }

    [Fact]
    public async Task AVisit_IsVerifiedInsideTheRadiusOfTheCustomer_AndUnverifiedOutside()
    {
        var client = App.CreateClient();
        var phone = await FieldDeviceClient.RegisterAsync(client, "officer", () => App.Clock.GetUtcNow());
        var file = await CollectingAsync(App.Services, "杭州市西湖区", "officer", "lead");
        await phone.SignInAsync(30.2600, 120.1300);

        // the first visit's photo sets where the customer is; the track was there (about 60 m away)
        await phone.PingAsync(1, 30.2746, 120.1551);
        var photo = await phone.SendAsync($"/api/v1/field/applications/{file}/documents", new
        {
            documentType = "上门照片", fileName = "door.jpg", contentBase64 = Convert.ToBase64String(Jpeg),
            latitude = 30.2741, longitude = 120.1551, takenAt = App.Clock.GetUtcNow(),
        });
        photo.StatusCode.ShouldBe(HttpStatusCode.Created, await photo.Content.ReadAsStringAsync());
        var stored = await photo.Content.ReadFromJsonAsync<JsonElement>();
        stored.GetProperty("visit").GetProperty("verified").GetBoolean().ShouldBeTrue();
        stored.GetProperty("visit").GetProperty("basis").GetString().ShouldBe("Track");
        stored.GetProperty("visit").GetProperty("nearestMetres").GetDouble().ShouldBe(55.6, 0.2); // 0.0005° of latitude
        (await Sql.ScalarAsync<string>("""
            SELECT c."LocationSource" FROM customers c JOIN applications a ON a."CustomerId" = c."Id" WHERE a."Id" = @a
            """, ("a", file))).ShouldBe("photo");
        (await Sql.ScalarAsync<long>("""SELECT count(*) FROM application_documents WHERE "ApplicationId" = @a""", ("a", file))).ShouldBe(1L, "the origination upload");

        // an hour later, 1.1 km away, claiming a visit: unverified, with how near the track came
        App.Clock.Advance(TimeSpan.FromHours(1));
        await phone.PingAsync(2, 30.2841, 120.1551);
        var far = await phone.SendAsync("/api/v1/field/visits", new { kind = "Investigation", applicationId = file, at = App.Clock.GetUtcNow(), note = "第二次上门" });
        far.StatusCode.ShouldBe(HttpStatusCode.Created, await far.Content.ReadAsStringAsync());
        var unverified = await far.Content.ReadFromJsonAsync<JsonElement>();
        unverified.GetProperty("verified").GetBoolean().ShouldBeFalse();
        unverified.GetProperty("nearestMetres").GetDouble().ShouldBe(1112.0, 1.0);

        // someone else's task is refused
        var other = await FieldDeviceClient.RegisterAsync(client, "officer.sh", () => App.Clock.GetUtcNow());
        var notYours = await other.SendAsync("/api/v1/field/visits", new { kind = "Investigation", applicationId = file, at = App.Clock.GetUtcNow() });
        notYours.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await notYours.Content.ReadAsStringAsync()).ShouldContain(ErrorCodes.VisitTaskNotYours);

        var visits = await As(App.Services, "lead", s => s.Get<FieldVisits>().ForApplicationAsync(file));
        visits.Select(v => (v.Kind, v.Verified)).ShouldBe([(VisitKind.Investigation, false), (VisitKind.Document, true)]);

        // the officer league counts them: one of two verified
        var league = await As(App.Services, "lead", s => s.Get<LoanOffice.Web.Features.Cockpit.PortfolioDashboard>().GetAsync(new LoanOffice.Web.Features.Cockpit.CockpitFilter()));
        var line = league.Value!.Officers.Single(o => o.Name == "孙伟");
        (line.Visits, line.VerifiedVisits).ShouldBe((2, 1));

        // the officer's tasks list the file
        var tasks = await phone.GetAsync("/api/v1/field/tasks");
        tasks.StatusCode.ShouldBe(HttpStatusCode.OK, await tasks.Content.ReadAsStringAsync());
        (await tasks.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("applications").EnumerateArray().Select(a => a.GetProperty("id").GetGuid()).ShouldContain(file);
    }

    [Fact]
    public async Task Retention_DropsWholeMonthsPastTheYears_KeepsTheRest_AndIsAudited()
    {
        await Sql.ExecAsync("SELECT lo_field_ping_partition('2022-05-10T00:00:00Z'), lo_field_ping_partition('2024-01-10T00:00:00Z')");
        await Sql.ExecAsync("""
            INSERT INTO field_pings (officer_id, device_id, sequence, recorded_at, received_at, position, accuracy, source, mock)
            VALUES (gen_random_uuid(), gen_random_uuid(), 1, '2022-05-10T02:00:00Z', '2022-05-10T02:00:00Z', 'SRID=4326;POINT(120.15 30.27)', 10, 'Gps', false)
            """);
        // three years back from 1 Dec 2026: November 2023 ends before the cut-off, January 2024 does not
        var dry = await As(App.Services, "admin", s => s.Get<FieldRetention>().RunAsync(dryRun: true));
        dry.ShouldBe(["field_pings_202205"]);
        (await Sql.ScalarAsync<bool>("SELECT to_regclass('field_pings_202205') IS NOT NULL")).ShouldBeTrue("a dry run drops nothing");

        (await As(App.Services, "admin", s => s.Get<FieldRetention>().RunAsync())).ShouldBe(["field_pings_202205"]);
        (await Sql.ScalarAsync<bool>("SELECT to_regclass('field_pings_202205') IS NULL")).ShouldBeTrue();
        (await Sql.ScalarAsync<bool>("SELECT to_regclass('field_pings_202401') IS NOT NULL AND to_regclass('field_pings_202612') IS NOT NULL")).ShouldBeTrue();
        (await Sql.ScalarAsync<long>("SELECT count(*) FROM field_pings WHERE recorded_at < '2023-01-01'")).ShouldBe(0L);
        (await Sql.ScalarAsync<long>("SELECT count(*) FROM audit_log WHERE entity_type = 'FieldPings' AND action = 'Dropped'")).ShouldBe(1L);
        (await As(App.Services, "admin", s => s.Get<FieldRetention>().RunAsync())).ShouldBeEmpty("nothing more to drop");
    }

    [Fact]
    public async Task ATrack_ExportedAsCsv_ImportsBack_BadLinesRefuseTheFile_AndTheSameFileTwiceChangesNothing()
    {
        var phone = await FieldDeviceClient.RegisterAsync(App.CreateClient(), "officer", () => App.Clock.GetUtcNow());
        await phone.SignInAsync(30.2741, 120.1551);
        await phone.PingAsync(1, 30.2750, 120.1560);
        App.Clock.Advance(TimeSpan.FromMinutes(1));
        await phone.PingAsync(2, 30.2760, 120.1570);
        var officerId = Sql.Db().Users.Single(u => u.UserName == "officer").Id;
        var today = LoanOffice.Web.Components.Shared.Fmt.ChinaDate(App.Clock.GetUtcNow());
        var exported = FieldTracks.Csv((await As(App.Services, "lead", s => s.Get<FieldTracks>().DayAsync(officerId, today, "export"))).Value!);
        exported.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length.ShouldBe(3, exported);

        // the old system's morning: two more points in the same columns, before the phone's
        var morning = exported + "2026-12-01T01:00:00Z,30.2600000,120.1300000,15,Wifi,0\n2026-12-01T01:00:30Z,30.2605000,120.1305000,12,Gps,0\n";
        var bad = morning + "2026-12-01T01:01:00Z,95.0,120.13,15,Gps,0\nyesterday,30.26,120.13,15,Gps,0\n2026-12-01T01:02:00Z,30.26,120.13,15,Satellite,0\n";
        var refused = (await As(App.Services, "lead", s => s.Get<FieldTracks>().ImportCsvAsync(officerId, "old.csv", System.Text.Encoding.UTF8.GetBytes(bad)))).Value!;
        refused.Errors.Select(e => (e.Line, e.Column, e.Code)).ShouldBe([(6, "latitude", ErrorCodes.FieldPingLatitude), (7, "time", ErrorCodes.TrackCsvValue), (8, "source", ErrorCodes.TrackCsvValue)]);
        refused.Imported.ShouldBe(0);
        (await Sql.ScalarAsync<long>("SELECT count(*) FROM field_pings")).ShouldBe(2L, "nothing imported from a file with bad lines");

        var imported = (await As(App.Services, "lead", s => s.Get<FieldTracks>().ImportCsvAsync(officerId, "old.csv", System.Text.Encoding.UTF8.GetBytes(morning)))).Value!;
        (imported.Imported, imported.Duplicates, imported.Errors.Count).ShouldBe((2, 2, 0), "the phone's own two points are already there");
        var again = (await As(App.Services, "lead", s => s.Get<FieldTracks>().ImportCsvAsync(officerId, "old.csv", System.Text.Encoding.UTF8.GetBytes(morning)))).Value!;
        (again.Imported, again.Duplicates).ShouldBe((0, 4));
        (await As(App.Services, "lead", s => s.Get<FieldTracks>().DayAsync(officerId, today))).Value!.Points.Count.ShouldBe(4);
        (await As(App.Services, "lead.sh", s => s.Get<FieldTracks>().ImportCsvAsync(officerId, "old.csv", System.Text.Encoding.UTF8.GetBytes(morning)))).Error!.Code
            .ShouldBe(ErrorCodes.NotFound, "another team's officer");
        (await As(App.Services, "lead", s => s.Get<FieldTracks>().ImportCsvAsync(officerId, "x.csv", "lat,lon\n1,2\n"u8.ToArray()))).Value!.Errors[0].Code.ShouldBe(ErrorCodes.TrackCsvHeader);
        (await Sql.ScalarAsync<long>("SELECT count(*) FROM audit_log WHERE entity_type = 'OfficerTrack' AND action = 'Imported'")).ShouldBe(2L);
    }
}
