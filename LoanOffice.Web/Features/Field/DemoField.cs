using System.Globalization;
using System.Security.Cryptography;
using LoanOffice.Data;
using LoanOffice.Data.Field;
using LoanOffice.Data.Security;
using LoanOffice.Domain.Field;
using LoanOffice.Web.Components.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace LoanOffice.Web.Features.Field;

/// <summary>
/// The demo company's field work: a phone for each demo officer and a realistic working day yesterday and today so
/// far — out from the team's office to the customers of their collection cases, a stop at each, back — with the
/// visits verified against the track; <c>officer.sz</c>'s phone went quiet forty minutes ago (the map greys it, the
/// alerts fire). Seeded once (a second run changes nothing).
/// </summary>
public static class DemoField
{
    public const string DeviceName = "演示手机";

    /// <summary>The demo teams' offices (WGS-84): where each officer's day starts; the fake app walks round it too.</summary>
    private static readonly Dictionary<string, (double Lat, double Lon)> Offices = new()
    {
        ["officer"] = (30.2590, 120.1300),    // 杭州市西湖区
        ["officer.sh"] = (31.2215, 121.5440), // 上海市浦东新区
        ["officer.sz"] = (22.5329, 113.9305), // 深圳市南山区
    };

    public static (double Lat, double Lon) HomeOf(string officer) => Offices.TryGetValue(officer, out var home) ? home : (30.2741, 120.1551);

    public sealed record Outcome(int Officers, int Points, int Visits, bool AlreadyThere);

    private const int PingSeconds = 30;
    private static readonly TimeOnly DayStart = new(8, 45), DayEnd = new(17, 30);

    public static async Task<Outcome> SeedAsync(IServiceProvider services, TimeProvider clock, CancellationToken ct)
    {
        var dbFactory = services.GetRequiredService<IDbContextFactory<LoanOfficeDbContext>>();
        var dataSource = services.GetRequiredService<NpgsqlDataSource>();
        var protector = services.GetRequiredService<PersonalDataProtector>();
        var policy = services.GetRequiredService<IOptions<FieldOptions>>().Value.VisitPolicy;
        var now = clock.GetUtcNow();
        var today = Fmt.ChinaDate(now);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.FieldDevices.AnyAsync(d => d.Name == DeviceName, ct)) return new Outcome(0, 0, 0, AlreadyThere: true);

        int officers = 0, points = 0, visits = 0;
        foreach (var (userName, office) in Offices)
        {
            var user = await db.Users.SingleOrDefaultAsync(u => u.UserName == userName, ct);
            if (user is null) continue;
            officers++;
            user.PhoneNumber ??= "1380000" + (1000 + officers).ToString(CultureInfo.InvariantCulture);
            var device = new FieldDevice
            {
                Id = Guid.CreateVersion7(), UserId = user.Id, Name = DeviceName, KeyCipher = protector.Encrypt(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))),
                CreatedAt = now.AddDays(-30), LastUsedAt = now,
            };
            db.FieldDevices.Add(device);

            // the customers of the officer's open collection cases (the demo's day is a collection round)
            var calls = await (from c in db.CollectionCases
                               join l in db.Loans on c.LoanId equals l.Id
                               join cu in db.Customers on l.CustomerId equals cu.Id
                               where c.OfficerId == user.Id && c.Status == Data.Servicing.CaseStatus.Open
                               orderby l.Number
                               select new { CaseId = c.Id, Customer = cu }).Take(6).ToListAsync(ct);
            var random = new Random(userName.Sum(c => c)); // the same day on every machine
            foreach (var call in calls.Where(c => c.Customer.Latitude is null))
            {
                call.Customer.Latitude = office.Lat + (random.NextDouble() - 0.5) * 0.03;
                call.Customer.Longitude = office.Lon + (random.NextDouble() - 0.5) * 0.03;
                call.Customer.LocationSource = "officer";
                call.Customer.LocationSetAt = now.AddDays(-30);
            }

            var track = new List<TrackPoint>();
            foreach (var (day, n) in new[] { (today.AddDays(-1), 0), (today, 1) })
            {
                var start = China(day, DayStart);
                if (start >= now) continue;
                var end = China(day, DayEnd) < now ? China(day, DayEnd) : now;
                // officer.sz's phone goes quiet forty minutes before now (today): the demo's offline officer
                if (day == today && userName == "officer.sz" && end - start > TimeSpan.FromHours(1)) end = now.AddMinutes(-40);
                var stops = calls.Skip(n * 3).Take(3).ToList();
                if (stops.Count == 0) stops = calls.Take(3).ToList();
                var waypoints = new List<(double Lat, double Lon, bool Customer)> { (office.Lat, office.Lon, false) };
                waypoints.AddRange(stops.Select(s => (s.Customer.Latitude!.Value, s.Customer.Longitude!.Value, true)));
                waypoints.Add((office.Lat, office.Lon, false));
                var dayTrack = Walk(waypoints, start, end, random);
                track.AddRange(dayTrack);
                db.FieldSessions.Add(new FieldSession
                {
                    Id = Guid.CreateVersion7(), UserId = user.Id, DeviceId = device.Id, SignedInAt = start, SignInLatitude = office.Lat, SignInLongitude = office.Lon,
                    SignedOutAt = day == today ? null : end, SignOutLatitude = day == today ? null : office.Lat, SignOutLongitude = day == today ? null : office.Lon,
                });
                // a visit at each customer the track stopped at, checked like any other
                foreach (var s in stops)
                {
                    var home = new GeoStamp(start, s.Customer.Latitude!.Value, s.Customer.Longitude!.Value);
                    var at = dayTrack.Where(p => TrackAnalysis.Metres(home.Latitude, home.Longitude, p.Latitude, p.Longitude) < 30).Select(p => (DateTimeOffset?)p.At).FirstOrDefault();
                    if (at is null) continue;
                    var check = VisitRules.Verify(home, at.Value.AddMinutes(5), dayTrack, null, policy);
                    db.FieldVisits.Add(new FieldVisit
                    {
                        Id = Guid.CreateVersion7(), OfficerId = user.Id, CustomerId = s.Customer.Id, Kind = VisitKind.Collection, CaseId = s.CaseId, At = at.Value.AddMinutes(5),
                        Verified = check.Verified, NearestMetres = check.NearestMetres, Basis = check.Basis, RadiusMetres = policy.RadiusMetres,
                        Note = "上门催收，已当面沟通还款安排。", RecordedAt = at.Value.AddMinutes(5),
                    });
                    visits++;
                }
            }

            await db.SaveChangesAsync(ct);
            points += await WritePingsAsync(dataSource, user.Id, device.Id, track, ct);
        }

        return new Outcome(officers, points, visits, AlreadyThere: false);
    }

    private static DateTimeOffset China(DateOnly day, TimeOnly time) => new DateTimeOffset(day.ToDateTime(time), TimeSpan.FromHours(8)).ToUniversalTime();

    /// <summary>A point every 30 s: driving between waypoints (about 25 km/h in town), 25 minutes at each customer, jitter of a few metres.</summary>
    private static List<TrackPoint> Walk(List<(double Lat, double Lon, bool Customer)> waypoints, DateTimeOffset start, DateTimeOffset end, Random random)
    {
        var points = new List<TrackPoint>();
        var at = start;
        const double metresPerPing = 7 * PingSeconds;
        double Jitter() => (random.NextDouble() - 0.5) * 0.00008;
        for (var w = 0; w < waypoints.Count && at < end; w++)
        {
            var here = waypoints[w];
            var stay = here.Customer ? TimeSpan.FromMinutes(25) : w == 0 ? TimeSpan.FromMinutes(30) : TimeSpan.FromHours(24);
            for (var t = TimeSpan.Zero; t < stay && at < end; t += TimeSpan.FromSeconds(PingSeconds), at = at.AddSeconds(PingSeconds))
                points.Add(new TrackPoint(at, here.Lat + Jitter(), here.Lon + Jitter(), 8 + random.Next(12), PingSource.Gps, false));
            if (w + 1 >= waypoints.Count) break;
            var next = waypoints[w + 1];
            var steps = Math.Max(1, (int)(TrackAnalysis.Metres(here.Lat, here.Lon, next.Lat, next.Lon) / metresPerPing));
            for (var s = 1; s <= steps && at < end; s++, at = at.AddSeconds(PingSeconds))
                points.Add(new TrackPoint(at, here.Lat + (next.Lat - here.Lat) * s / steps + Jitter(), here.Lon + (next.Lon - here.Lon) * s / steps + Jitter(),
                    10 + random.Next(20), PingSource.Gps, false));
        }

        return points;
    }

    private static async Task<int> WritePingsAsync(NpgsqlDataSource dataSource, Guid officerId, Guid deviceId, List<TrackPoint> track, CancellationToken ct)
    {
        if (track.Count == 0) return 0;
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        foreach (var month in track.Select(p => new DateTimeOffset(p.At.UtcDateTime.Year, p.At.UtcDateTime.Month, 1, 0, 0, 0, TimeSpan.Zero)).Distinct())
        {
            await using var part = new NpgsqlCommand("SELECT lo_field_ping_partition(@m)", conn);
            part.Parameters.AddWithValue("m", month);
            await part.ExecuteNonQueryAsync(ct);
        }

        await using (var copy = await conn.BeginTextImportAsync(
            "COPY field_pings (officer_id, device_id, sequence, recorded_at, received_at, position, accuracy, speed, source, mock) FROM STDIN", ct))
        {
            var seq = 0L;
            foreach (var p in track)
                await copy.WriteLineAsync(string.Join('\t', officerId, deviceId, seq++, p.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss+00", CultureInfo.InvariantCulture),
                    p.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss+00", CultureInfo.InvariantCulture),
                    string.Create(CultureInfo.InvariantCulture, $"SRID=4326;POINT({p.Longitude:0.0000000} {p.Latitude:0.0000000})"),
                    p.Accuracy.ToString(CultureInfo.InvariantCulture), "\\N", p.Source.ToString(), "f"));
        }

        var last = track[^1];
        await using var upsert = new NpgsqlCommand("""
            INSERT INTO field_last_positions (officer_id, device_id, recorded_at, position, accuracy, source, mock, heartbeat_at, gps_enabled, battery, network)
            VALUES (@o, @d, @at, ST_SetSRID(ST_MakePoint(@lon, @lat), 4326)::geography, @acc, 'Gps', false, @at, true, 64, @net)
            ON CONFLICT (officer_id) DO NOTHING
            """, conn);
        upsert.Parameters.AddWithValue("o", officerId);
        upsert.Parameters.AddWithValue("d", deviceId);
        upsert.Parameters.AddWithValue("at", last.At);
        upsert.Parameters.AddWithValue("lat", last.Latitude);
        upsert.Parameters.AddWithValue("lon", last.Longitude);
        upsert.Parameters.AddWithValue("acc", (float)last.Accuracy);
        upsert.Parameters.Add(new NpgsqlParameter("net", NpgsqlDbType.Varchar) { Value = "4g" });
        await upsert.ExecuteNonQueryAsync(ct);
        return track.Count;
    }
}
