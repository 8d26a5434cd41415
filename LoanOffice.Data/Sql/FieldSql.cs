namespace LoanOffice.Data.Sql;

/// <summary>The field-work reads (shared by the app and the benchmarks, so the figures are the app's own queries).</summary>
public static class FieldSql
{
    /// <summary>The live map's officers in a scope (@all, @teams), from the last-position table only — never the pings; @today for leave, @dayStart (the China day's start) for the current task.</summary>
    public const string MapOfficers = """
        SELECT u."Id", u."DisplayName", coalesce(t."Name", ''), t."NameEn", s."SignedInAt",
               p.position, p.recorded_at, p.heartbeat_at, p.gps_enabled, p.battery, coalesce(p.mock, false),
               p.network,
               EXISTS (SELECT 1 FROM leave_requests l WHERE l."OfficerId" = u."Id" AND l."Status" = 'Approved' AND l."From" <= @today AND l."To" >= @today),
               lv."Name", lv."Kind"
          FROM "AspNetUsers" u
          JOIN "AspNetUserRoles" ur ON ur."UserId" = u."Id"
          JOIN "AspNetRoles" r ON r."Id" = ur."RoleId" AND r."Name" = 'LoanOfficer'
          LEFT JOIN teams t ON t."Id" = u."TeamId"
          LEFT JOIN field_last_positions p ON p.officer_id = u."Id"
          LEFT JOIN field_sessions s ON s."UserId" = u."Id" AND s."SignedOutAt" IS NULL
          -- the current task: the customer of today's latest visit
          LEFT JOIN LATERAL (SELECT c."Name", v."Kind" FROM field_visits v JOIN customers c ON c."Id" = v."CustomerId"
                              WHERE v."OfficerId" = u."Id" AND v."At" >= @dayStart ORDER BY v."At" DESC LIMIT 1) lv ON true
         WHERE @all OR u."TeamId" = ANY(@teams)
         ORDER BY t."Name", u."DisplayName"
        """;

    /// <summary>One officer's points between two instants (@o, @from, @to): the "one officer, one day" index; positions as NTS points.</summary>
    public const string TrackPoints = """
        SELECT recorded_at, position, accuracy, source, mock
          FROM field_pings WHERE officer_id = @o AND recorded_at >= @from AND recorded_at < @to ORDER BY recorded_at, sequence
        """;

    /// <summary>The distance travelled along those points (PostGIS, on the spheroid, metres).</summary>
    public const string TrackDistance = """
        SELECT coalesce(ST_Length(ST_MakeLine(position::geometry ORDER BY recorded_at, sequence)::geography), 0)
          FROM field_pings WHERE officer_id = @o AND recorded_at >= @from AND recorded_at < @to
        """;
}
