using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LoanOffice.Data.Seeding;
using LoanOffice.Domain.Common;
using LoanOffice.Tests.Support;
using Shouldly;

namespace LoanOffice.Tests.Field;

/// <summary>
/// The officers' app API through HTTP: a device registered with the officer's password, every call signed as the
/// README documents it (the HMAC computed here from that description, not with the app's code), the working day,
/// batches with good and bad points, duplicates, replayed, badly signed, late and revoked requests, and an officer
/// posting for another.
/// </summary>
public class FieldApiTests(IsolatedApp app) : ServicingTestBase(app)
{
    [Fact]
    public async Task AnOfficersPhone_SignsIn_PostsPoints_AndEveryBadRequestIsRefusedWithItsReason()
    {
        var client = App.CreateClient();

        // registration: the officer's own credentials, an officer only
        var wrong = await client.PostAsJsonAsync("/api/v1/field/devices", new { userName = "officer", password = "nope", deviceName = "华为 Mate 60" });
        wrong.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await wrong.Content.ReadAsStringAsync()).ShouldContain(ErrorCodes.FieldSignInFailed);
        var unknown = await client.PostAsJsonAsync("/api/v1/field/devices", new { userName = "nobody", password = "nope", deviceName = "x" });
        unknown.StatusCode.ShouldBe(HttpStatusCode.Unauthorized, "an unknown name answers as a wrong password");
        var manager = await client.PostAsJsonAsync("/api/v1/field/devices", new { userName = "gm", password = DemoCompanySeeder.DemoPassword, deviceName = "iPad" });
        manager.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await manager.Content.ReadAsStringAsync()).ShouldContain(ErrorCodes.FieldNotAnOfficer);
        var device = await FieldDeviceClient.RegisterAsync(client, "officer", () => App.Clock.GetUtcNow());
        var other = await FieldDeviceClient.RegisterAsync(client, "officer.sh", () => App.Clock.GetUtcNow());
        (await Sql.ScalarAsync<long>("""SELECT count(*) FROM audit_log WHERE entity_type = 'FieldDevice' AND entity_key = @k""", ("k", device.Id.ToString())))
            .ShouldBe(1L, "a registration is audited");

        var now = App.Clock.GetUtcNow();
        object Point(long seq, double lat, double lon, double accuracy = 12, int secondsAgo = 60) =>
            new { sequence = seq, at = now.AddSeconds(-secondsAgo).ToOffset(TimeSpan.FromHours(8)), latitude = lat, longitude = lon, accuracy, speed = 1.2, source = "Gps", mock = false };

        // no position before the day is opened
        var early = await device.SendAsync("/api/v1/field/pings", new { points = new[] { Point(1, 30.27, 120.15) } });
        early.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity, await early.Content.ReadAsStringAsync());
        (await early.Content.ReadAsStringAsync()).ShouldContain(ErrorCodes.FieldNotSignedIn);

        var signIn = await device.SendAsync("/api/v1/field/sign-in", new { at = now.AddMinutes(-10).ToOffset(TimeSpan.FromHours(8)), latitude = 30.2741, longitude = 120.1551, accuracy = 8 });
        signIn.StatusCode.ShouldBe(HttpStatusCode.OK, await signIn.Content.ReadAsStringAsync());
        (await device.SendAsync("/api/v1/field/sign-in", new { at = now, latitude = 30.2741, longitude = 120.1551, accuracy = 8 }))
            .StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity, "one open day at a time");

        // a batch: two good points, and three refused one by one, each with its reason
        var batch = new
        {
            points = new[]
            {
                Point(1, 30.2750, 120.1560, secondsAgo: 120),
                Point(2, 95.0, 120.1560),
                Point(3, 30.2760, 120.1570, secondsAgo: -180),
                Point(4, 30.2760, 120.1570, accuracy: 900),
                Point(5, 30.2800, 120.1600, secondsAgo: 30),
            },
        };
        var posted = await device.SendAsync("/api/v1/field/pings", batch);
        posted.StatusCode.ShouldBe(HttpStatusCode.OK, await posted.Content.ReadAsStringAsync());
        var outcome = await posted.Content.ReadFromJsonAsync<JsonElement>();
        outcome.GetProperty("accepted").GetInt32().ShouldBe(2);
        outcome.GetProperty("duplicates").GetInt32().ShouldBe(0);
        outcome.GetProperty("refused").EnumerateArray().Select(r => (r.GetProperty("sequence").GetInt64(), r.GetProperty("code").GetString()))
            .ShouldBe([(2L, ErrorCodes.FieldPingLatitude), (3L, ErrorCodes.FieldPingInFuture), (4L, ErrorCodes.FieldPingAccuracyWorse)]);
        outcome.GetProperty("refused")[0].GetProperty("message").GetString()!.ShouldContain("-90");

        (await Sql.ScalarAsync<long>("""SELECT count(*) FROM field_pings WHERE device_id = @d""", ("d", device.Id))).ShouldBe(2L);
        (await Sql.ScalarAsync<string>("""SELECT ST_AsText(position::geometry) FROM field_pings WHERE device_id = @d AND sequence = 5""", ("d", device.Id)))
            .ShouldBe("POINT(120.16 30.28)");
        (await Sql.ScalarAsync<string>("""
            SELECT tableoid::regclass::text FROM field_pings WHERE device_id = @d AND sequence = 1
            """, ("d", device.Id))).ShouldBe("field_pings_" + now.UtcDateTime.ToString("yyyyMM", System.Globalization.CultureInfo.InvariantCulture), "the month's partition");
        (await Sql.ScalarAsync<double>("""
            SELECT round(ST_Distance(p1.position, p5.position)::numeric, 0)::float8 FROM field_pings p1, field_pings p5
             WHERE p1.device_id = @d AND p1.sequence = 1 AND p5.device_id = @d AND p5.sequence = 5
            """, ("d", device.Id))).ShouldBe(Haversine(30.2750, 120.1560, 30.2800, 120.1600), 0.005 * Haversine(30.2750, 120.1560, 30.2800, 120.1600),
            "metres between the two points (PostGIS on the spheroid, here on the sphere: within 0.5 %)");
        var lastSequence5At = await Sql.ScalarAsync<DateTime>("""SELECT recorded_at FROM field_last_positions l JOIN "AspNetUsers" u ON u."Id" = l.officer_id WHERE u."UserName" = 'officer'""");
        new DateTimeOffset(lastSequence5At, TimeSpan.Zero).ShouldBe(now.AddSeconds(-30), TimeSpan.FromMilliseconds(1), "the map's last position is the latest point");

        // the same points again (a new request, a second later): nothing new
        App.Clock.Advance(TimeSpan.FromSeconds(1));
        var again = await (await device.SendAsync("/api/v1/field/pings", batch)).Content.ReadFromJsonAsync<JsonElement>();
        (again.GetProperty("accepted").GetInt32(), again.GetProperty("duplicates").GetInt32()).ShouldBe((0, 2));

        // the same request replayed, byte for byte: refused
        var body = JsonSerializer.Serialize(new { points = new[] { Point(6, 30.28, 120.16) } });
        var stamp = App.Clock.GetUtcNow().ToUnixTimeSeconds();
        (await device.SendRawAsync("/api/v1/field/pings", body, stamp)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var replayed = await device.SendRawAsync("/api/v1/field/pings", body, stamp);
        replayed.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await replayed.Content.ReadAsStringAsync()).ShouldContain(ErrorCodes.FieldRequestReplayed);

        // badly signed, too old, unsigned, someone else's key
        var tampered = await device.SendRawAsync("/api/v1/field/pings", body, stamp, tamper: true);
        tampered.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await tampered.Content.ReadAsStringAsync()).ShouldContain(ErrorCodes.FieldSignatureInvalid);
        var late = await device.SendRawAsync("/api/v1/field/pings", body, stamp - 6 * 60);
        (await late.Content.ReadAsStringAsync()).ShouldContain(ErrorCodes.FieldRequestExpired);
        var unsigned = await client.PostAsJsonAsync("/api/v1/field/pings", new { points = Array.Empty<object>() });
        unsigned.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await unsigned.Content.ReadAsStringAsync()).ShouldContain(ErrorCodes.FieldSignatureMissing);
        (await (device with { Key = other.Key }).SendRawAsync("/api/v1/field/pings", body, stamp + 1)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        // an officer posting for another
        var forOther = await device.SendAsync("/api/v1/field/pings", new { officer = "officer.sh", points = new[] { Point(7, 30.28, 120.16) } });
        forOther.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await forOther.Content.ReadAsStringAsync()).ShouldContain(ErrorCodes.FieldNotYourDevice);
        (await Sql.ScalarAsync<long>("""SELECT count(*) FROM field_pings WHERE sequence = 7""")).ShouldBe(0L);

        // too many points in one call
        var tooMany = await device.SendAsync("/api/v1/field/pings", new { points = Enumerable.Range(0, 1_001).Select(i => Point(100 + i, 30.28, 120.16)).ToArray() });
        tooMany.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await tooMany.Content.ReadAsStringAsync()).ShouldContain(ErrorCodes.FieldBatchTooLarge);

        // the heartbeat, apart from the points: location switched off
        (await device.SendAsync("/api/v1/field/heartbeat", new { gpsEnabled = false, battery = 41, network = "4G" })).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await Sql.ScalarAsync<bool>("""SELECT NOT gps_enabled AND battery = 41 FROM field_last_positions WHERE device_id = @d""", ("d", device.Id))).ShouldBeTrue();

        // sign-out: nothing recorded after it
        (await device.SendAsync("/api/v1/field/sign-out", new { at = App.Clock.GetUtcNow(), latitude = 30.2741, longitude = 120.1551, accuracy = 8 }))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        (await (await device.SendAsync("/api/v1/field/pings", new { points = new[] { Point(8, 30.28, 120.16, secondsAgo: 0) } })).Content.ReadAsStringAsync())
            .ShouldContain(ErrorCodes.FieldNotSignedIn);

        // the lead of another team neither sees nor revokes the device; the officer's lead revokes it (audited), and it answers nothing
        var otherLead = await App.SignedInClientAsync("lead.sh");
        var theirs = await otherLead.GetFromJsonAsync<JsonElement>("/api/v1/field/devices");
        theirs.EnumerateArray().Select(d => d.GetProperty("id").GetGuid()).ShouldNotContain(device.Id);
        (await otherLead.PostAsJsonAsync($"/api/v1/field/devices/{device.Id}/revoke", new { version = 0 })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var lead = await App.SignedInClientAsync("lead");
        var listed = (await lead.GetFromJsonAsync<JsonElement>("/api/v1/field/devices")).EnumerateArray().Single(d => d.GetProperty("id").GetGuid() == device.Id);
        listed.GetProperty("lastUsedAt").ValueKind.ShouldBe(JsonValueKind.String, "the last use is kept");
        (await lead.PostAsJsonAsync($"/api/v1/field/devices/{device.Id}/revoke", new { version = listed.GetProperty("version").GetUInt32() + 1 }))
            .StatusCode.ShouldBe(HttpStatusCode.Conflict, "a stale version");
        (await lead.PostAsJsonAsync($"/api/v1/field/devices/{device.Id}/revoke", new { version = listed.GetProperty("version").GetUInt32() }))
            .StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await Sql.ScalarAsync<long>("""SELECT count(*) FROM audit_log WHERE entity_type = 'FieldDevice' AND entity_key = @k""", ("k", device.Id.ToString())))
            .ShouldBe(2L, "registered, revoked");
        var revoked = await device.SendAsync("/api/v1/field/heartbeat", new { gpsEnabled = true });
        revoked.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await revoked.Content.ReadAsStringAsync()).ShouldContain(ErrorCodes.FieldDeviceRevoked);
        (await Sql.ScalarAsync<long>("""SELECT count(*) FROM field_pings WHERE device_id = @d""", ("d", device.Id))).ShouldBe(3L, "points 1, 5 and 6");
    }

    /// <summary>
    /// A morning by hand: 15 minutes at one customer (within a few metres), a kilometre's walk, 12 minutes at the next —
    /// the lead reads two stops, the distance (PostGIS against the sum of the legs here), the sign-in; CSV and GPX carry
    /// every point; another team's lead gets nothing; each view and export is an audit row.
    /// </summary>
    [Fact]
    public async Task TheLead_ReadsAnOfficersDay_WithStopsDistanceAndExports_EachAudited()
    {
        var client = App.CreateClient();
        var phone = await FieldDeviceClient.RegisterAsync(client, "officer", () => App.Clock.GetUtcNow());
        var start = App.Clock.GetUtcNow().AddHours(-2);
        (await phone.SendAsync("/api/v1/field/sign-in", new { at = start, latitude = 30.2741, longitude = 120.1551, accuracy = 8 })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var points = new List<(DateTimeOffset At, double Lat, double Lon)>();
        for (var i = 0; i <= 10; i++) points.Add((start.AddSeconds(90 * i), 30.2741 + (i % 2) * 0.00002, 120.1551)); // 15 minutes at A
        for (var i = 1; i <= 5; i++) points.Add((start.AddMinutes(15).AddMinutes(2 * i), 30.2741 + 0.0018 * i, 120.1551)); // about 1 km north
        for (var i = 1; i <= 8; i++) points.Add((start.AddMinutes(25).AddSeconds(90 * i), 30.2831, 120.1551 + (i % 2) * 0.00002)); // 12 minutes at B
        var batch = points.Select((p, i) => new { sequence = (long)i + 1, at = p.At, latitude = p.Lat, longitude = p.Lon, accuracy = 10, speed = 1.0, source = "Gps", mock = false }).ToArray();
        var posted = await (await phone.SendAsync("/api/v1/field/pings", new { points = batch })).Content.ReadFromJsonAsync<JsonElement>();
        posted.GetProperty("accepted").GetInt32().ShouldBe(points.Count);

        var officer = await Sql.ScalarAsync<Guid>("""SELECT "Id" FROM "AspNetUsers" WHERE "UserName" = 'officer'""");
        var today = LoanOffice.Web.Components.Shared.Fmt.ChinaDate(App.Clock);
        var day = (await TestApplications.As(App.Services, "lead", s => s.Get<LoanOffice.Web.Features.Field.FieldTracks>().DayAsync(officer, today))).Value!;
        day.Points.Count.ShouldBe(points.Count);
        day.Marks.Single().SignIn.ShouldBeTrue();
        day.Stops.Select(s => (s.From, s.To)).ShouldBe([(points[0].At, points[10].At), (points[15].At, points[^1].At)], "A from the first point, B from the arrival");
        var legs = points.Zip(points.Skip(1)).Sum(x => Haversine(x.First.Lat, x.First.Lon, x.Second.Lat, x.Second.Lon));
        day.DistanceMetres.ShouldBe(legs, legs * 0.005);
        (await TestApplications.As(App.Services, "lead.sh", s => s.Get<LoanOffice.Web.Features.Field.FieldTracks>().DayAsync(officer, today))).Error!.Code
            .ShouldBe(ErrorCodes.NotFound, "another team's officer");

        var lead = await App.SignedInClientAsync("lead");
        var csv = await lead.GetStringAsync($"/api/v1/field/officers/{officer}/track?date={today:yyyy-MM-dd}&format=csv");
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].ShouldBe("time,latitude,longitude,accuracy,source,mock");
        lines.Length.ShouldBe(points.Count + 1);
        lines[1].ShouldStartWith(points[0].At.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture) + ",30.2741000,120.1551000");
        var gpx = await lead.GetStringAsync($"/api/v1/field/officers/{officer}/track?date={today:yyyy-MM-dd}&format=gpx");
        System.Xml.Linq.XDocument.Parse(gpx).Descendants(System.Xml.Linq.XName.Get("trkpt", "http://www.topografix.com/GPX/1/1")).Count().ShouldBe(points.Count);
        (await lead.GetAsync($"/api/v1/field/officers/{officer}/track?date=yesterday&format=csv")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await Sql.ScalarAsync<long>("""SELECT count(*) FROM audit_log WHERE entity_type = 'OfficerTrack' AND entity_key = @k AND action = 'Viewed'""", ("k", officer.ToString()))).ShouldBe(1L);
        (await Sql.ScalarAsync<long>("""SELECT count(*) FROM audit_log WHERE entity_type = 'OfficerTrack' AND entity_key = @k AND action = 'Exported'""", ("k", officer.ToString()))).ShouldBe(2L);
    }

    private static double Haversine(double lat1, double lon1, double lat2, double lon2)
    {
        const double R = 6_371_008.8;
        double Rad(double d) => d * Math.PI / 180;
        var a = Math.Pow(Math.Sin(Rad(lat2 - lat1) / 2), 2) + Math.Cos(Rad(lat1)) * Math.Cos(Rad(lat2)) * Math.Pow(Math.Sin(Rad(lon2 - lon1) / 2), 2);
        return 2 * R * Math.Asin(Math.Sqrt(a));
    }
}
