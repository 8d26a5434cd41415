using LoanOffice.Domain.Field;
using LoanOffice.Domain.Organisation;
using LoanOffice.Web.Security;
using Microsoft.Extensions.Options;
using Npgsql;

namespace LoanOffice.Web.Features.Field;

/// <summary>The map's settings (appsettings "Field:Map"): the tile server (empty: grid only), its attribution and datum (an officer counts as offline after <see cref="FieldAlertOptions.OfficerMinutes"/>).</summary>
public sealed class FieldMapOptions
{
    /// <summary>e.g. https://tiles.intranet/{z}/{x}/{y}.png; empty draws the grid and scale only.</summary>
    public string TileUrl { get; set; } = "";
    public string Attribution { get; set; } = "";
    public MapDatum TileDatum { get; set; } = MapDatum.Wgs84;
    /// <summary>Where the map opens before any officer has a position (Hangzhou).</summary>
    public double CenterLatitude { get; set; } = 30.2741;
    public double CenterLongitude { get; set; } = 120.1551;
}

/// <summary>An officer as the live map shows them: signed in or not, on leave today, the last point (WGS-84), the last sign of life.</summary>
public sealed record OfficerOnMap(Guid Id, string Name, string Team, DateTimeOffset? SignedInAt, double? Latitude, double? Longitude, DateTimeOffset? LastPointAt,
    DateTimeOffset? HeartbeatAt, bool? GpsEnabled, int? Battery, bool Mock, string? Network = null, bool OnLeave = false)
{
    /// <summary>The current task: the customer of today's latest visit, and what kind of visit.</summary>
    public string? TaskCustomer { get; init; }
    public VisitKind? TaskKind { get; init; }

    public bool SignedIn => SignedInAt is not null;

    /// <summary>The last point or heartbeat, whichever is later.</summary>
    public DateTimeOffset? LastSeen => LastPointAt is { } p && (HeartbeatAt is null || p >= HeartbeatAt) ? p : HeartbeatAt;

    /// <summary>What the offline rule reads (signed-in officers only).</summary>
    public OfficerSignal? Signal => SignedInAt is { } at ? new OfficerSignal(at, LastPointAt, Mock, HeartbeatAt, GpsEnabled, Network) : null;

    /// <summary>Signed in and without a position for the officer minutes (<see cref="OfflineRules.IsSilent"/>).</summary>
    public bool IsOffline(DateTimeOffset now, int minutes) => Signal is { } s && OfflineRules.IsSilent(s, now, minutes);

    /// <summary>Since when silent (for "offline for n minutes").</summary>
    public DateTimeOffset? SilentSince => Signal is { } s ? OfflineRules.SilentSince(s) : null;

    /// <summary>What the phone last reported, for a silent officer.</summary>
    public SilenceReason? Reason(DateTimeOffset now, OfflinePolicy policy) => Signal is { } s ? OfflineRules.Reason(s, OfflineRules.SilentSince(s), now, policy) : null;
}

/// <summary>Raised when an officer's position moves (after the points are committed), so open maps redraw without reload.</summary>
public sealed class FieldPositions
{
    public event Action<Guid>? Moved;

    public void Notify(Guid officerId) => Moved?.Invoke(officerId);
}

/// <summary>The live map's officers in the reader's scope, from the last-position table only (never the pings).</summary>
public sealed class FieldMapQueries(DataScopeService scopes, NpgsqlDataSource dataSource, TimeProvider clock)
{
    public async Task<IReadOnlyList<OfficerOnMap>> OfficersAsync(CancellationToken ct = default)
    {
        var scope = await scopes.GetAsync(ct);
        await using var cmd = dataSource.CreateCommand(LoanOffice.Data.Sql.FieldSql.MapOfficers);
        cmd.Parameters.AddWithValue("all", scope.SeesAll);
        var today = Components.Shared.Fmt.ChinaDate(clock);
        cmd.Parameters.AddWithValue("today", today);
        cmd.Parameters.AddWithValue("dayStart", new DateTimeOffset(today.ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(8)).ToUniversalTime());
        cmd.Parameters.AddWithValue("teams", scope.TeamIds.ToArray());
        var rows = new List<OfficerOnMap>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var at = reader.IsDBNull(5) ? null : reader.GetFieldValue<NetTopologySuite.Geometries.Point>(5);
            rows.Add(new OfficerOnMap(reader.GetGuid(0), reader.GetString(1), Components.Shared.OrgNames.Of(reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3)),
                Nullable<DateTimeOffset>(reader, 4), at?.Y, at?.X,
                Nullable<DateTimeOffset>(reader, 6), Nullable<DateTimeOffset>(reader, 7), reader.IsDBNull(8) ? null : reader.GetBoolean(8),
                reader.IsDBNull(9) ? null : reader.GetInt16(9), reader.GetBoolean(10),
                reader.IsDBNull(11) ? null : reader.GetString(11), reader.GetBoolean(12))
            {
                TaskCustomer = reader.IsDBNull(13) ? null : reader.GetString(13),
                TaskKind = reader.IsDBNull(14) ? null : Enum.Parse<VisitKind>(reader.GetString(14)),
            });
        }
        return rows;
    }

    private static T? Nullable<T>(NpgsqlDataReader reader, int i) where T : struct => reader.IsDBNull(i) ? null : reader.GetFieldValue<T>(i);
}
