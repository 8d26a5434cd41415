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
    IReadOnlyList<TrackStop> Stops, double DistanceMetres);

/// <summary>
/// Tracks for the managers answering for the officer (the map's roles and scope). Tracks are sensitive personal
/// information (PIPL): every view or export is an audit row — who looked at whose day.
/// </summary>
public sealed class FieldTracks(ActorContext context, NpgsqlDataSource dataSource, IAuditContext audit)
{
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
        await using (var cmd = dataSource.CreateCommand("""
            SELECT recorded_at, ST_Y(position::geometry), ST_X(position::geometry), accuracy, source, mock
              FROM field_pings WHERE officer_id = @o AND recorded_at >= @from AND recorded_at < @to ORDER BY recorded_at, sequence
            """))
        {
            cmd.Parameters.AddWithValue("o", officerId);
            cmd.Parameters.AddWithValue("from", from);
            cmd.Parameters.AddWithValue("to", to);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
                points.Add(new TrackPoint(r.GetFieldValue<DateTimeOffset>(0), r.GetDouble(1), r.GetDouble(2), r.GetFloat(3),
                    Enum.TryParse<PingSource>(r.GetString(4), out var s) ? s : PingSource.Gps, r.GetBoolean(5)));
        }

        await using (var cmd = dataSource.CreateCommand("""
            SELECT coalesce(ST_Length(ST_MakeLine(position::geometry ORDER BY recorded_at, sequence)::geography), 0)
              FROM field_pings WHERE officer_id = @o AND recorded_at >= @from AND recorded_at < @to
            """))
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

        db.AuditEntries.Add(new AuditEntry
        {
            OccurredAt = context.Now, Actor = audit.Actor, ClientIp = audit.ClientIp, EntityType = "OfficerTrack", EntityKey = officerId.ToString(),
            Action = purpose == "export" ? "Exported" : "Viewed",
            Changes = System.Text.Json.JsonSerializer.Serialize(new { date = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), points = points.Count, purpose }),
        });
        await db.SaveChangesAsync(ct);
        return new OfficerDay(officerId, officer.DisplayName, date, points, marks,
            TrackAnalysis.Stops(points, StopRadiusMetres, TimeSpan.FromMinutes(StopMinutes)), distance);
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
