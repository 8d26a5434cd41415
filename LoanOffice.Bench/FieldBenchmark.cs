using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LoanOffice.Data;
using LoanOffice.Data.Seeding;
using LoanOffice.Data.Sql;
using LoanOffice.Domain.Field;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace LoanOffice.Bench;

/// <summary>
/// Field work at scale. <c>field</c>: a year of 80 officers at one ping every 30 s of a working day (20 M pings) in
/// the partitioned table, then one officer-day's track (the app's two queries: the points, the PostGIS distance) and
/// the live map of 500 signed-in officers (the app's query) — server time, median of several runs, with the plans.
/// <c>field-ingest</c>: signed batches of 1,000 points through the API of a running app, several phones at once.
/// </summary>
public static class FieldBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var officers = int.Parse(QueueBenchmark.Arg(args, "--officers") ?? "80", CultureInfo.InvariantCulture);
        var days = int.Parse(QueueBenchmark.Arg(args, "--days") ?? "365", CultureInfo.InvariantCulture);
        var perDay = int.Parse(QueueBenchmark.Arg(args, "--per-day") ?? "685", CultureInfo.InvariantCulture);
        var mapOfficers = int.Parse(QueueBenchmark.Arg(args, "--map-officers") ?? "500", CultureInfo.InvariantCulture);
        var runs = int.Parse(QueueBenchmark.Arg(args, "--runs") ?? "9", CultureInfo.InvariantCulture);
        var connection = (QueueBenchmark.Arg(args, "--connection")
                          ?? "Host=127.0.0.1;Port=55433;Database=loanoffice_bench_field;Username=loanoffice;Password=loanoffice-dev") + ";Command Timeout=0";
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));
        if (!args.Contains("--reuse"))
        {
            await QueueBenchmark.Recreate(connection);
            NpgsqlConnection.ClearAllPools();
            await using (var services = QueueBenchmark.Services(connection))
            await using (var scope = services.CreateAsyncScope())
            {
                await scope.ServiceProvider.GetRequiredService<LoanOfficeDbContext>().Database.MigrateAsync();
                await scope.ServiceProvider.GetRequiredService<DemoCompanySeeder>().SeedAsync();
            }

            var sw = Stopwatch.StartNew();
            await FillPingsAsync(connection, officers, days, perDay, today);
            Console.WriteLine($"pings: {(long)officers * days * perDay:N0} written in {sw.Elapsed.TotalSeconds:0} s");
            await MapOfficersAsync(connection, mapOfficers);
        }

        await using var data = LoanOffice.Data.DependencyInjection.CreateDataSource(connection); // as the app: PostGIS through NetTopologySuite
        await using (var count = data.CreateCommand("SELECT count(*) FROM field_pings"))
            Console.WriteLine($"field_pings: {(long)(await count.ExecuteScalarAsync())!:N0} rows");

        // one officer-day, like the track page (China calendar day)
        Guid officer;
        await using (var pick = data.CreateCommand("SELECT officer_id FROM field_pings WHERE recorded_at >= now() - interval '2 days' LIMIT 1"))
            officer = (Guid)(await pick.ExecuteScalarAsync())!;
        var trackTimes = new List<double>();
        var points = 0;
        for (var r = 0; r < runs + 1; r++)
        {
            var day = today.AddDays(-1 - (r * 37 % Math.Max(1, days - 1)));
            var from = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(8)).ToUniversalTime();
            var sw = Stopwatch.StartNew();
            points = 0;
            await using (var cmd = data.CreateCommand(FieldSql.TrackPoints))
            {
                Track(cmd, officer, from);
                await using var reader = await cmd.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    _ = reader.GetFieldValue<NetTopologySuite.Geometries.Point>(1); // decoded like the app does
                    points++;
                }
            }

            await using (var cmd = data.CreateCommand(FieldSql.TrackDistance))
            {
                Track(cmd, officer, from);
                await cmd.ExecuteScalarAsync();
            }

            if (r > 0) trackTimes.Add(sw.Elapsed.TotalMilliseconds); // the first run warms the cache
        }

        Console.WriteLine($"track of one officer-day ({points} points; points + distance): median {Median(trackTimes):0.0} ms, max {trackTimes.Max():0.0} ms over {runs} days");

        var mapTimes = new List<double>();
        var rows = 0;
        for (var r = 0; r < runs + 1; r++)
        {
            var sw = Stopwatch.StartNew();
            rows = 0;
            await using (var cmd = data.CreateCommand(FieldSql.MapOfficers))
            {
                Map(cmd, today);
                await using var reader = await cmd.ExecuteReaderAsync();
                while (await reader.ReadAsync()) rows++;
            }

            if (r > 0) mapTimes.Add(sw.Elapsed.TotalMilliseconds);
        }

        Console.WriteLine($"live map, every officer ({rows} officers): median {Median(mapTimes):0.0} ms, max {mapTimes.Max():0.0} ms");

        if (args.Contains("--plans"))
        {
            var from = new DateTimeOffset(today.AddDays(-1).ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(8)).ToUniversalTime();
            await PlanAsync(data, FieldSql.TrackPoints, cmd => Track(cmd, officer, from));
            await PlanAsync(data, FieldSql.TrackDistance, cmd => Track(cmd, officer, from));
            await PlanAsync(data, FieldSql.MapOfficers, cmd => Map(cmd, today));
        }

        return 0;
    }

    private static void Track(NpgsqlCommand cmd, Guid officer, DateTimeOffset from)
    {
        cmd.Parameters.AddWithValue("o", officer);
        cmd.Parameters.AddWithValue("from", from);
        cmd.Parameters.AddWithValue("to", from.AddDays(1));
    }

    private static void Map(NpgsqlCommand cmd, DateOnly today)
    {
        cmd.Parameters.AddWithValue("all", true);
        cmd.Parameters.AddWithValue("teams", Array.Empty<Guid>());
        cmd.Parameters.AddWithValue("today", today);
        cmd.Parameters.AddWithValue("dayStart", new DateTimeOffset(today.ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(8)).ToUniversalTime());
    }

    private static async Task PlanAsync(NpgsqlDataSource data, string sql, Action<NpgsqlCommand> parameters)
    {
        await using var cmd = data.CreateCommand("EXPLAIN (ANALYZE, BUFFERS) " + sql);
        parameters(cmd);
        await using var reader = await cmd.ExecuteReaderAsync();
        Console.WriteLine("---");
        while (await reader.ReadAsync()) Console.WriteLine(reader.GetString(0));
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? 0 : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>Each officer's working days (from 08:45 China time, a point every 30 s) for the days before today, officer by officer.</summary>
    private static async Task FillPingsAsync(string connection, int officers, int days, int perDay, DateOnly today)
    {
        await using var conn = new NpgsqlConnection(connection);
        await conn.OpenAsync();
        var first = today.AddDays(-days);
        for (var m = new DateOnly(first.Year, first.Month, 1); m <= today; m = m.AddMonths(1))
            await Exec(conn, $"SELECT lo_field_ping_partition('{m:yyyy-MM-dd}T12:00:00Z')");
        for (var o = 0; o < officers; o++)
        {
            await Exec(conn, $"""
                INSERT INTO field_pings (officer_id, device_id, sequence, recorded_at, received_at, position, accuracy, speed, source, mock)
                SELECT o.id, o.dev, d * 10000 + k, t, t,
                       ST_SetSRID(ST_MakePoint(120.10 + {o % 10} * 0.01 + 0.02 * sin(k / 60.0), 30.20 + {o / 10} * 0.01 + 0.02 * cos(k / 45.0)), 4326)::geography,
                       8 + (k % 20), 1.2, 'Gps', false
                  FROM (SELECT md5('officer{o}')::uuid AS id, md5('device{o}')::uuid AS dev) o
                 CROSS JOIN generate_series(1, {days}) d
                 CROSS JOIN generate_series(0, {perDay - 1}) k
                 CROSS JOIN LATERAL (SELECT (('{today:yyyy-MM-dd}'::date - d) + time '08:45') AT TIME ZONE 'Asia/Shanghai' + k * interval '30 seconds' AS t) x
                """);
            Console.Error.Write($"\rofficers {o + 1}/{officers}");
        }

        Console.Error.WriteLine();
        await Exec(conn, "ANALYZE field_pings");
    }

    /// <summary>Signed-in officers for the map: users with the officer role across the demo teams, a device, an open day and a last position each.</summary>
    private static async Task MapOfficersAsync(string connection, int count)
    {
        await using var conn = new NpgsqlConnection(connection);
        await conn.OpenAsync();
        await Exec(conn, $"""
            WITH n AS (SELECT g, md5('map-officer' || g)::uuid AS id FROM generate_series(1, {count}) g),
                 teams AS (SELECT array_agg("Id" ORDER BY "Code") AS ids FROM teams)
            INSERT INTO "AspNetUsers" ("Id", "UserName", "NormalizedUserName", "DisplayName", "TeamId", "PreferredCulture", "CreatedAt", "EmailConfirmed",
                                       "PhoneNumberConfirmed", "TwoFactorEnabled", "LockoutEnabled", "AccessFailedCount", "SecurityStamp")
            SELECT n.id, 'map' || g, 'MAP' || g, '外勤' || g, teams.ids[1 + g % array_length(teams.ids, 1)], 'zh-CN', now(), false, false, false, true, 0, md5(g::text)
              FROM n, teams
            """);
        await Exec(conn, """
            INSERT INTO "AspNetUserRoles" ("UserId", "RoleId")
            SELECT u."Id", r."Id" FROM "AspNetUsers" u, "AspNetRoles" r WHERE u."UserName" LIKE 'map%' AND r."Name" = 'LoanOfficer'
            """);
        await Exec(conn, """
            INSERT INTO field_devices ("Id", "UserId", "Name", "KeyCipher", "CreatedAt") SELECT md5('map-device' || u."Id")::uuid, u."Id", 'bench', '\x00', now()
              FROM "AspNetUsers" u WHERE u."UserName" LIKE 'map%'
            """);
        await Exec(conn, """
            INSERT INTO field_sessions ("Id", "UserId", "DeviceId", "SignedInAt", "SignInLatitude", "SignInLongitude")
            SELECT gen_random_uuid(), u."Id", md5('map-device' || u."Id")::uuid, now() - interval '3 hours', 30.27, 120.15 FROM "AspNetUsers" u WHERE u."UserName" LIKE 'map%'
            """);
        await Exec(conn, """
            INSERT INTO field_last_positions (officer_id, device_id, recorded_at, position, accuracy, source, mock, heartbeat_at, gps_enabled, battery, network)
            SELECT u."Id", md5('map-device' || u."Id")::uuid, now() - random() * interval '20 minutes',
                   ST_SetSRID(ST_MakePoint(120.0 + random() * 0.4, 30.1 + random() * 0.3), 4326)::geography, 10, 'Gps', false, now(), true, 70, '4g'
              FROM "AspNetUsers" u WHERE u."UserName" LIKE 'map%'
            """);
        await Exec(conn, "ANALYZE");
    }

    private static async Task Exec(NpgsqlConnection conn, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Signed batches through a running app (<c>--url</c>): each worker a phone of a demo officer, signed in for the
    /// day, posting batches of <c>--batch</c> points as fast as the answers come; accepted points per second.
    /// </summary>
    public static async Task<int> IngestAsync(string[] args)
    {
        var url = QueueBenchmark.Arg(args, "--url") ?? "http://127.0.0.1:5080";
        var seconds = int.Parse(QueueBenchmark.Arg(args, "--seconds") ?? "20", CultureInfo.InvariantCulture);
        var warmup = int.Parse(QueueBenchmark.Arg(args, "--warmup") ?? "10", CultureInfo.InvariantCulture);
        var concurrency = int.Parse(QueueBenchmark.Arg(args, "--concurrency") ?? "4", CultureInfo.InvariantCulture);
        var batch = int.Parse(QueueBenchmark.Arg(args, "--batch") ?? "1000", CultureInfo.InvariantCulture);
        string[] officers = ["officer", "officer.sh", "officer.sz"];
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency * 2 }) { BaseAddress = new Uri(url) };
        var phones = new List<(Guid Id, byte[] Key)>();
        for (var i = 0; i < concurrency; i++)
        {
            var who = officers[i % officers.Length];
            using var registered = await http.PostAsJsonAsync("/api/v1/field/devices", new { userName = who, password = DemoCompanySeeder.DemoPassword, deviceName = "bench-" + i });
            if (!registered.IsSuccessStatusCode) throw new InvalidOperationException($"register {who}: {(int)registered.StatusCode} {await registered.Content.ReadAsStringAsync()}");
            var body = await registered.Content.ReadFromJsonAsync<JsonElement>();
            var phone = (body.GetProperty("deviceId").GetGuid(), Convert.FromBase64String(body.GetProperty("key").GetString()!));
            phones.Add(phone);
            // the day may already be open (the demo's officers are signed in): that is fine
            using var _ = await Send(http, phone, "/api/v1/field/sign-in", new { at = DateTimeOffset.UtcNow.AddMinutes(-30), latitude = 30.27, longitude = 120.15, accuracy = 8 });
        }

        long accepted = 0, failures = 0;
        var latencies = new System.Collections.Concurrent.ConcurrentBag<double>();
        async Task Worker((Guid Id, byte[] Key) phone, int worker, TimeSpan duration, bool record)
        {
            var end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
            var sequence = (long)worker << 40 | (record ? 1L << 39 : 0);
            while (Stopwatch.GetTimestamp() < end)
            {
                var now = DateTimeOffset.UtcNow;
                var points = Enumerable.Range(0, batch).Select(k => new
                {
                    sequence = sequence++, at = now.AddMilliseconds(-k * 30), latitude = 30.27 + k * 1e-5, longitude = 120.15 + k * 1e-5, accuracy = 9.0, speed = 1.3,
                    source = "Gps", mock = false,
                }).ToArray();
                var start = Stopwatch.GetTimestamp();
                using var response = await Send(http, phone, "/api/v1/field/pings", new { points });
                var ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                if (!record) continue;
                if (response.IsSuccessStatusCode)
                {
                    latencies.Add(ms);
                    Interlocked.Add(ref accepted, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accepted").GetInt32());
                }
                else Interlocked.Increment(ref failures);
            }
        }

        await Task.WhenAll(phones.Select((p, i) => Worker(p, i, TimeSpan.FromSeconds(warmup), record: false)));
        var sw = Stopwatch.StartNew();
        await Task.WhenAll(phones.Select((p, i) => Worker(p, i, TimeSpan.FromSeconds(seconds), record: true)));
        var elapsed = sw.Elapsed.TotalSeconds;
        var sorted = latencies.Order().ToList();
        double P(double q) => sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];
        Console.WriteLine($"field ingestion: {accepted:N0} points accepted in {elapsed:0.0} s = {accepted / elapsed:N0} points/s ({sorted.Count:N0} signed batches of {batch}, {failures} failures, {concurrency} phones)");
        Console.WriteLine($"batch latency ms: p50 {P(0.50):0.0}, p90 {P(0.90):0.0}, p99 {P(0.99):0.0}");
        return failures == 0 ? 0 : 1;
    }

    private static async Task<HttpResponseMessage> Send(HttpClient http, (Guid Id, byte[] Key) phone, string path, object body)
    {
        using var request = LoanOffice.Web.Features.Field.FakeFieldApp.SignedPost(path, body, phone.Id, phone.Key);
        return await http.SendAsync(request);
    }
}
