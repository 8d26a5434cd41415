using System.Globalization;
using LoanOffice.Domain.Field;
using LoanOffice.Domain.Organisation;
using LoanOffice.Web.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;
using Quartz;

namespace LoanOffice.Web.Features.Field;

/// <summary>Working hours, China time ("08:30"–"18:00") on the working days.</summary>
public sealed class WorkingHoursOptions
{
    public string Start { get; set; } = "08:30";
    public string End { get; set; } = "18:00";
    public DayOfWeek[] Days { get; set; } = [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday];
}

/// <summary>The offline-alert settings (appsettings "Field:Alerts"): minutes to the officer's SMS, further minutes to the lead's alert, working hours (per team code if set).</summary>
public sealed class FieldAlertOptions
{
    public int OfficerMinutes { get; set; } = 10;
    public int LeadMinutes { get; set; } = 20;
    public WorkingHoursOptions WorkingHours { get; set; } = new();
    /// <summary>A team's own hours, by team code.</summary>
    public Dictionary<string, WorkingHoursOptions> Teams { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public OfflinePolicy PolicyFor(string? teamCode)
    {
        var hours = teamCode is not null && Teams.TryGetValue(teamCode, out var own) ? own : WorkingHours;
        return new OfflinePolicy(OfficerMinutes, LeadMinutes, TimeOnly.Parse(hours.Start, CultureInfo.InvariantCulture), TimeOnly.Parse(hours.End, CultureInfo.InvariantCulture),
            hours.Days.ToHashSet());
    }
}

/// <summary>What one run of the check did: officers silent, SMS queued, lead alerts raised (new ones only).</summary>
public sealed record OfflineRun(int Silent, int Sms, int LeadAlerts);

/// <summary>
/// The offline alerts (seed 004): a signed-in officer silent for the officer minutes gets an SMS (through the outbox);
/// still silent after the lead minutes, the team lead (no lead: the region's directors) gets an in-app alert saying
/// what the phone last reported. Sign-out, approved leave and hours outside the team's working hours keep quiet. Each
/// alert has a key of the officer, the stage and the silence's start, so a silence raises one of each however often
/// — and on however many nodes — the check runs.
/// </summary>
public sealed class OfflineAlerts(NpgsqlDataSource dataSource, IOptions<FieldAlertOptions> options, TimeProvider clock)
{
    public async Task<OfflineRun> RunAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var today = Components.Shared.Fmt.ChinaDate(now);
        var officers = new List<(Guid Id, string Name, string Culture, Guid? TeamId, string? TeamCode, OfficerSignal Signal, bool OnLeave)>();
        await using (var cmd = dataSource.CreateCommand("""
            SELECT s."UserId", s."SignedInAt", p.recorded_at, coalesce(p.mock, false), p.heartbeat_at, p.gps_enabled, p.network,
                   u."DisplayName", u."PreferredCulture", u."TeamId", t."Code",
                   EXISTS (SELECT 1 FROM leave_requests l WHERE l."OfficerId" = s."UserId" AND l."Status" = 'Approved' AND l."From" <= @today AND l."To" >= @today)
              FROM field_sessions s
              JOIN "AspNetUsers" u ON u."Id" = s."UserId"
              LEFT JOIN teams t ON t."Id" = u."TeamId"
              LEFT JOIN field_last_positions p ON p.officer_id = s."UserId"
             WHERE s."SignedOutAt" IS NULL
            """))
        {
            cmd.Parameters.AddWithValue("today", today);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
                officers.Add((r.GetGuid(0), r.GetString(7), r.GetString(8), r.IsDBNull(9) ? null : r.GetGuid(9), r.IsDBNull(10) ? null : r.GetString(10),
                    new OfficerSignal(r.GetFieldValue<DateTimeOffset>(1), r.IsDBNull(2) ? null : r.GetFieldValue<DateTimeOffset>(2), r.GetBoolean(3),
                        r.IsDBNull(4) ? null : r.GetFieldValue<DateTimeOffset>(4), r.IsDBNull(5) ? null : r.GetBoolean(5), r.IsDBNull(6) ? null : r.GetString(6)),
                    r.GetBoolean(11)));
        }

        int silent = 0, sms = 0, alerts = 0;
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        foreach (var o in officers)
        {
            var silence = OfflineRules.Check(o.Signal, now, options.Value.PolicyFor(o.TeamCode), o.OnLeave);
            if (silence is null) continue;
            silent++;
            var minutes = silence.Minutes(now);
            var culture = CultureInfo.GetCultureInfo(o.Culture);
            sms += await InsertAsync(conn, silence.DedupeKey(o.Id, AlertStage.Officer), "FieldOffline", "Sms", o.Id,
                ErrorText.Text("Field.Alert.Sms", culture, minutes, silence.Reason), now, ct);
            if (silence.Stage != AlertStage.Lead || o.TeamId is null) continue;
            foreach (var (managerId, managerCulture) in await ManagersAsync(conn, o.TeamId.Value, ct))
                alerts += await InsertAsync(conn, silence.DedupeKey(o.Id, AlertStage.Lead) + ":" + managerId.ToString("N"), "FieldOfflineLead", "InApp", managerId,
                    ErrorText.Text("Field.Alert.Lead", CultureInfo.GetCultureInfo(managerCulture), o.Name, minutes, silence.Reason, silence.Since), now, ct);
        }

        return new OfflineRun(silent, sms, alerts);
    }

    /// <summary>The team's leads; a team without one, its region's directors.</summary>
    private static async Task<IReadOnlyList<(Guid Id, string Culture)>> ManagersAsync(NpgsqlConnection conn, Guid teamId, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            WITH m AS (
                SELECT u."Id", u."PreferredCulture", r."Name" AS role
                  FROM "AspNetUsers" u
                  JOIN "AspNetUserRoles" ur ON ur."UserId" = u."Id"
                  JOIN "AspNetRoles" r ON r."Id" = ur."RoleId"
                  JOIN teams ut ON ut."Id" = u."TeamId"
                 WHERE (r."Name" = @lead AND u."TeamId" = @team)
                    OR (r."Name" = @director AND ut."RegionId" = (SELECT "RegionId" FROM teams WHERE "Id" = @team))
            )
            SELECT DISTINCT "Id", "PreferredCulture" FROM m
             WHERE role = @lead OR NOT EXISTS (SELECT 1 FROM m WHERE role = @lead)
            """, conn);
        cmd.Parameters.AddWithValue("team", teamId);
        cmd.Parameters.AddWithValue("lead", Roles.TeamLead);
        cmd.Parameters.AddWithValue("director", Roles.RegionalDirector);
        var list = new List<(Guid, string)>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) list.Add((r.GetGuid(0), r.GetString(1)));
        return list;
    }

    /// <summary>One message, once: a key already there inserts nothing.</summary>
    private static async Task<int> InsertAsync(NpgsqlConnection conn, string key, string kind, string channel, Guid userId, string body, DateTimeOffset now, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            INSERT INTO notifications ("Id", "DedupeKey", "Kind", "Channel", "UserId", "Body", "Status", "Attempts", "NextAttemptAt", "CreatedAt", "SentAt")
            VALUES (@id, @key, @kind, @channel, @user, @body, CASE WHEN @channel = 'InApp' THEN 'Sent' ELSE 'Pending' END, 0, @now, @now,
                    CASE WHEN @channel = 'InApp' THEN @now END)
            ON CONFLICT ("DedupeKey") DO NOTHING
            """, conn);
        cmd.Parameters.AddWithValue("id", Guid.CreateVersion7());
        cmd.Parameters.AddWithValue("key", key);
        cmd.Parameters.AddWithValue("kind", kind);
        cmd.Parameters.AddWithValue("channel", channel);
        cmd.Parameters.AddWithValue("user", userId);
        cmd.Parameters.AddWithValue("body", body);
        cmd.Parameters.AddWithValue("now", now);
        return await cmd.ExecuteNonQueryAsync(ct);
    }
}

/// <summary>Checks for silent officers every minute (one node at a time; the alerts' keys make a rerun harmless).</summary>
[DisallowConcurrentExecution]
public sealed class OfflineAlertJob(OfflineAlerts alerts) : IJob
{
    public static readonly JobKey Key = new("field-offline-alerts", "field");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) => await alerts.RunAsync(cancellationToken);
}
