using System.Globalization;
using System.Text;
using LoanOffice.Data.Auditing;
using LoanOffice.Domain.Common;
using LoanOffice.Domain.Field;
using LoanOffice.Domain.Organisation;
using LoanOffice.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace LoanOffice.Web.Features.Field;

/// <summary>A working day's mark on the track.</summary>
public sealed record TrackMark(DateTimeOffset At, double Latitude, double Longitude, bool SignIn);

/// <summary>One officer's day (轨迹): the points in time order, sign-in/out, stops, and the distance travelled (PostGIS, metres).</summary>
public sealed record OfficerDay(Guid OfficerId, string Officer, DateOnly Date, IReadOnlyList<TrackPoint> Points, IReadOnlyList<TrackMark> Marks,
    IReadOnlyList<TrackStop> Stops, double DistanceMetres)
{
    /// <summary>The customers visited that day, verified against this track or not.</summary>
    public IReadOnlyList<DayVisit> Visits { get; init; } = [];
}

/// <summary>A visit of the day as the track page lists it.</summary>
public sealed record DayVisit(DateTimeOffset At, string Customer, Domain.Field.VisitKind Kind, bool Verified, double? NearestMetres);

/// <summary>
/// Tracks for the managers answering for the officer (the map's roles and scope). Tracks are sensitive personal
/// information (PIPL): every view or export is an audit row — who looked at whose day.
/// </summary>
/// <summary>A refused line of a track file: its line number, the column, the value and why (in the reader's language).</summary>
public sealed record TrackImportError(int Line, string Column, string Value, string Code, string Message);

/// <summary>What a track file did: points imported, points already there (ignored), and — when any line was bad — the lines refused (and nothing imported).</summary>
public sealed record TrackImportOutcome(int Imported, int Duplicates, IReadOnlyList<TrackImportError> Errors);

public sealed class FieldTracks(ActorContext context, NpgsqlDataSource dataSource, IAuditContext audit, FieldService field,
    Microsoft.Extensions.Options.IOptions<FieldOptions> options)
{
    /// <summary>The columns of a track file, as the CSV export writes them.</summary>
    public const string CsvHeader = "time,latitude,longitude,accuracy,source,mock";
    public const int MaxImportBytes = 20 * 1024 * 1024;

    /// <summary>
    /// Reads a track back from the CSV the export writes (an old system's tracks in the same columns): the whole file
    /// is checked first — every bad line refused with its reason and nothing imported — then the points go in as the
    /// officer's (a point already there is ignored, so the same file twice changes nothing). Audited with the file's
    /// name and hash.
    /// </summary>
    public async Task<Result<TrackImportOutcome>> ImportCsvAsync(Guid officerId, string fileName, byte[] content, CancellationToken ct = default)
    {
        if (await context.ActorAsync(ct) is not { } actor) return ActorContext.NotSignedIn;
        if (!actor.Roles.Overlaps(FieldDevices.Managers)) return Error.Of(ErrorCodes.Forbidden);
        var scope = await context.ScopeAsync(ct);
        await using var db = await context.OpenAsync(ct);
        var officer = await db.Users.AsNoTracking().Where(u => u.Id == officerId).Select(u => new { u.TeamId }).SingleOrDefaultAsync(ct);
        if (officer is null || !scope.CanSeeUser(officerId, officer.TeamId)) return Error.Of(ErrorCodes.NotFound);
        if (content.Length == 0) return Error.Of(ErrorCodes.DocumentEmpty).At("file");
        if (content.Length > MaxImportBytes) return Error.Of(ErrorCodes.DocumentTooLarge, MaxImportBytes / 1024 / 1024).At("file");

        var now = context.Now;
        var limits = new PingLimits(options.Value.WorstAccuracyMetres);
        var lines = Encoding.UTF8.GetString(content).TrimStart('\uFEFF').Split('\n');
        var errors = new List<TrackImportError>();
        void Bad(int line, string column, string value, Error e) => errors.Add(new TrackImportError(line, column, value, e.Code, ErrorText.Render(e)));
        if (lines[0].Trim().TrimEnd('\r') != CsvHeader) Bad(1, "header", lines[0].Trim(), Error.Of(ErrorCodes.TrackCsvHeader, CsvHeader));
        var points = new List<PingInput>();
        for (var i = 1; i < lines.Length && errors.Count < 1000; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (line.Length == 0) continue;
            var cells = line.Split(',');
            if (cells.Length != 6)
            {
                Bad(i + 1, "line", line.Length > 60 ? line[..60] : line, Error.Of(ErrorCodes.TrackCsvColumns, 6));
                continue;
            }

            var ok = true;
            if (!DateTimeOffset.TryParse(cells[0], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)) { Bad(i + 1, "time", cells[0], Error.Of(ErrorCodes.TrackCsvValue)); ok = false; }
            if (!double.TryParse(cells[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var lat)) { Bad(i + 1, "latitude", cells[1], Error.Of(ErrorCodes.TrackCsvValue)); ok = false; }
            if (!double.TryParse(cells[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var lon)) { Bad(i + 1, "longitude", cells[2], Error.Of(ErrorCodes.TrackCsvValue)); ok = false; }
            if (!double.TryParse(cells[3], NumberStyles.Float, CultureInfo.InvariantCulture, out var accuracy)) { Bad(i + 1, "accuracy", cells[3], Error.Of(ErrorCodes.TrackCsvValue)); ok = false; }
            if (!Enum.TryParse<PingSource>(cells[4], true, out var source) || !Enum.IsDefined(source)) { Bad(i + 1, "source", cells[4], Error.Of(ErrorCodes.TrackCsvValue)); ok = false; }
            var mock = cells[5].Trim() is "1" or "true" or "True";
            if (!mock && cells[5].Trim() is not ("0" or "false" or "False")) { Bad(i + 1, "mock", cells[5], Error.Of(ErrorCodes.TrackCsvValue)); ok = false; }
            if (!ok) continue;
            var utc = at.ToUniversalTime();
            // one point per officer and instant: its time is its sequence on the import's own "device"
            var point = new PingInput(utc.ToUnixTimeMilliseconds(), utc, lat, lon, accuracy, null, source, mock);
            if (PingRules.Check(point, now, limits) is { } refused) Bad(i + 1, refused.Field ?? "", cells[refused.Field switch { "latitude" => 1, "longitude" => 2, "accuracy" => 3, _ => 0 }], refused);
            else points.Add(point);
        }

        if (errors.Count == 0 && points.Count == 0) Bad(2, "line", "", Error.Of(ErrorCodes.TrackCsvEmpty));
        if (errors.Count > 0) return new TrackImportOutcome(0, 0, errors);

        var inserted = 0;
        foreach (var chunk in points.Chunk(10_000))
            inserted += await field.WritePointsAsync(officerId, ImportDevice(officerId), chunk, now, pingRow: true, ct, skipKnownSeconds: true);
        db.AuditEntries.Add(new AuditEntry
        {
            OccurredAt = now, Actor = audit.Actor, ClientIp = audit.ClientIp, EntityType = "OfficerTrack", EntityKey = officerId.ToString(), Action = "Imported",
            Changes = System.Text.Json.JsonSerializer.Serialize(new
            {
                file = Path.GetFileName(fileName), sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content)), points = points.Count, imported = inserted,
            }),
        });
        await db.SaveChangesAsync(ct);
        return new TrackImportOutcome(inserted, points.Count - inserted, []);
    }

    /// <summary>The "device" an officer's imported points are filed under (the same for every import, so a point imported twice is one).</summary>
    public static Guid ImportDevice(Guid officerId)
    {
        var bytes = System.Security.Cryptography.SHA256.HashData([.. officerId.ToByteArray(), .. "track-import"u8])[..16];
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x50); // a name-based (version 5 style) uuid
        return new Guid(bytes);
    }

    /// <summary>A stop is a stay within this radius for at least <see cref="StopMinutes"/>.</summary>
    public const double StopRadiusMetres = 50;
    public const int StopMinutes = 10;

    public async Task<Result<OfficerDay>> DayAsync(Guid officerId, DateOnly date, string purpose = "view", CancellationToken ct = default)
    {
        if (await context.ActorAsync(ct) is not { } actor) return ActorContext.NotSignedIn;
        if (!actor.Roles.Overlaps(FieldDevices.Managers)) return Error.Of(ErrorCodes.Forbidden);
        var scope = await context.ScopeAsync(ct);
        await using var db = await context.OpenAsync(ct);
        var officer = await db.Users.AsNoTracking().Where(u => u.Id == officerId).Select(u => new { u.DisplayName, u.TeamId }).SingleOrDefaultAsync(ct);
        if (officer is null || !scope.CanSeeUser(officerId, officer.TeamId)) return Error.Of(ErrorCodes.NotFound);

        // the China calendar day
        var from = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(8)).ToUniversalTime();
        var to = from.AddDays(1);
        var points = new List<TrackPoint>();
        double distance;
        await using (var cmd = dataSource.CreateCommand(LoanOffice.Data.Sql.FieldSql.TrackPoints))
        {
            cmd.Parameters.AddWithValue("o", officerId);
            cmd.Parameters.AddWithValue("from", from);
            cmd.Parameters.AddWithValue("to", to);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct)) points.Add(ReadPoint(r));
        }

        await using (var cmd = dataSource.CreateCommand(LoanOffice.Data.Sql.FieldSql.TrackDistance))
        {
            cmd.Parameters.AddWithValue("o", officerId);
            cmd.Parameters.AddWithValue("from", from);
            cmd.Parameters.AddWithValue("to", to);
            distance = Convert.ToDouble(await cmd.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
        }

        var sessions = await db.FieldSessions.AsNoTracking().Where(s => s.UserId == officerId && s.SignedInAt < to && (s.SignedOutAt == null || s.SignedOutAt >= from))
            .OrderBy(s => s.SignedInAt).ToListAsync(ct);
        var marks = new List<TrackMark>();
        foreach (var s in sessions)
        {
            if (s.SignedInAt >= from) marks.Add(new TrackMark(s.SignedInAt, s.SignInLatitude, s.SignInLongitude, true));
            if (s.SignedOutAt is { } o && o < to) marks.Add(new TrackMark(o, s.SignOutLatitude ?? s.SignInLatitude, s.SignOutLongitude ?? s.SignInLongitude, false));
        }

        var visits = await (from v in db.FieldVisits.AsNoTracking()
                            join c in db.Customers on v.CustomerId equals c.Id
                            where v.OfficerId == officerId && v.At >= @from && v.At < to
                            orderby v.At
                            select new DayVisit(v.At, c.Name, v.Kind, v.Verified, v.NearestMetres)).ToListAsync(ct);
        db.AuditEntries.Add(new AuditEntry
        {
            OccurredAt = context.Now, Actor = audit.Actor, ClientIp = audit.ClientIp, EntityType = "OfficerTrack", EntityKey = officerId.ToString(),
            Action = purpose == "export" ? "Exported" : "Viewed",
            Changes = System.Text.Json.JsonSerializer.Serialize(new { date = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), points = points.Count, purpose }),
        });
        await db.SaveChangesAsync(ct);
        return new OfficerDay(officerId, officer.DisplayName, date, points, marks,
            TrackAnalysis.Stops(points, StopRadiusMetres, TimeSpan.FromMinutes(StopMinutes)), distance) { Visits = visits };
    }

    /// <summary>A row of <see cref="LoanOffice.Data.Sql.FieldSql.TrackPoints"/>: the position an NTS point (X longitude, Y latitude).</summary>
    internal static TrackPoint ReadPoint(NpgsqlDataReader r)
    {
        var at = r.GetFieldValue<NetTopologySuite.Geometries.Point>(1);
        return new TrackPoint(r.GetFieldValue<DateTimeOffset>(0), at.Y, at.X, r.GetFloat(2), Enum.TryParse<PingSource>(r.GetString(3), out var s) ? s : PingSource.Gps, r.GetBoolean(4));
    }

    /// <summary>The day as CSV (time in UTC, WGS-84): the same columns the import of a track reads back.</summary>
    public static string Csv(OfficerDay day)
    {
        var csv = new StringBuilder("time,latitude,longitude,accuracy,source,mock\n");
        foreach (var p in day.Points)
            csv.Append(CultureInfo.InvariantCulture, $"{p.At.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ},{p.Latitude:0.0000000},{p.Longitude:0.0000000},{p.Accuracy:0.#},{p.Source},{(p.Mock ? 1 : 0)}\n");
        return csv.ToString();
    }

    /// <summary>The day as GPX 1.1 (a track of one segment).</summary>
    public static string Gpx(OfficerDay day)
    {
        var gpx = new StringBuilder();
        gpx.Append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<gpx version=\"1.1\" creator=\"LoanOffice\" xmlns=\"http://www.topografix.com/GPX/1/1\">\n");
        gpx.Append(CultureInfo.InvariantCulture, $"  <trk><name>{System.Security.SecurityElement.Escape(day.Officer)} {day.Date:yyyy-MM-dd}</name><trkseg>\n");
        foreach (var p in day.Points)
            gpx.Append(CultureInfo.InvariantCulture, $"    <trkpt lat=\"{p.Latitude:0.0000000}\" lon=\"{p.Longitude:0.0000000}\"><time>{p.At.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}</time></trkpt>\n");
        gpx.Append("  </trkseg></trk>\n</gpx>\n");
        return gpx.ToString();
    }
}
