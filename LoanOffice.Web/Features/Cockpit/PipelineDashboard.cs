using LoanOffice.Domain.Applications;
using LoanOffice.Domain.Common;
using LoanOffice.Domain.Organisation;
using LoanOffice.Domain.Portfolio;
using LoanOffice.Web.Components.Shared;
using LoanOffice.Web.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace LoanOffice.Web.Features.Cockpit;

/// <summary>How long a file may wait in a stage before it counts as over its SLA (hours; configuration <c>Cockpit:StageSlaHours</c>).</summary>
public sealed class PipelineOptions
{
    public Dictionary<string, int> StageSlaHours { get; set; } = new()
    {
        [nameof(ApplicationState.Pool)] = 24, [nameof(ApplicationState.Assigned)] = 48, [nameof(ApplicationState.Collecting)] = 120,
        [nameof(ApplicationState.Submitted)] = 24, [nameof(ApplicationState.PreliminaryReview)] = 48, [nameof(ApplicationState.Approval)] = 72,
        [nameof(ApplicationState.FinalReview)] = 24, [nameof(ApplicationState.Approved)] = 48, [nameof(ApplicationState.Contracted)] = 48,
    };

    /// <summary>A stage's SLA in hours (48 for a stage the configuration leaves out).</summary>
    public int HoursFor(ApplicationState stage) => StageSlaHours.TryGetValue(stage.ToString(), out var h) ? h : 48;
}

/// <summary>Files in one stage now: how many, the median wait so far and how many are past the stage's SLA.</summary>
public sealed record StageNow(ApplicationState Stage, int Files, decimal? MedianHoursWaiting, int OverSla, int SlaHours);

/// <summary>Time spent in a stage by the files that left it in a period (hours).</summary>
public sealed record StageTime(ApplicationState Stage, int Files, decimal? MedianHours, decimal? P90Hours);

/// <summary>A period's flow: files received, approved (the approval decided yes), rejected, withdrawn, disbursed.</summary>
public sealed record PipelineFlow(DateOnly From, DateOnly To, int Received, int Approved, int Rejected, int Withdrawn, int Disbursed,
    int ApprovalDecisions, decimal? MedianDaysToDisburse, decimal? P90DaysToDisburse)
{
    /// <summary>Approved ÷ files decided in approval (approved or rejected there) in the period.</summary>
    public Ratio ApprovalRate => new(Approved, ApprovalDecisions);
}

public sealed record ModeComparison(ApprovalMode Mode, PipelineFlow Flow);

/// <summary>
/// One loan officer's tasks (the files assigned to them that are still open): how many per stage, the longest wait,
/// how many are past their stage's SLA, and the median time the officer's files spent being assigned and collected
/// this month and last.
/// </summary>
public sealed record OfficerTasks(Guid OfficerId, string Officer, IReadOnlyDictionary<ApplicationState, int> ByStage, decimal? OldestHours, int OverSla,
    decimal? MedianAssignedHours, decimal? MedianCollectingHours, decimal? MedianAssignedHoursLastMonth, decimal? MedianCollectingHoursLastMonth)
{
    public int Open => ByStage.Values.Sum();
}

public sealed record Pipeline(DateOnly AsOf, IReadOnlyList<StageNow> Stages, PipelineFlow ThisMonth, PipelineFlow LastMonth,
    IReadOnlyList<StageTime> StageTimesThisMonth, IReadOnlyList<StageTime> StageTimesLastMonth, IReadOnlyList<ModeComparison> ByMode)
{
    public IReadOnlyList<OfficerTasks> Officers { get; init; } = [];
}

/// <summary>
/// The pipeline of the reader's scope from the applications and their transitions (imported loans' files are left
/// out): files by stage now with their waiting time against the stage's SLA, this month's and last month's flow,
/// approval rate, turnaround received → disbursed (median and 90th percentile), time per stage, and committee
/// teams against centralised ones. Months are China's calendar months; this month runs to now.
/// </summary>
public sealed class PipelineDashboard(PortfolioDashboard portfolio, NpgsqlDataSource dataSource, IOptions<PipelineOptions> options, TimeProvider clock)
{
    public static readonly ApplicationState[] OpenStages =
    [
        ApplicationState.Pool, ApplicationState.Assigned, ApplicationState.Collecting, ApplicationState.Submitted, ApplicationState.PreliminaryReview,
        ApplicationState.Approval, ApplicationState.FinalReview, ApplicationState.Approved, ApplicationState.Contracted,
    ];

    public async Task<Result<Pipeline>> GetAsync(CockpitFilter filter, CancellationToken ct = default)
    {
        var teams = await portfolio.TeamsInScopeAsync(filter, ct);
        if (!teams.IsSuccess) return teams.Error!;
        var teamIds = teams.Value!;
        var now = clock.GetUtcNow();
        var today = Fmt.ChinaDate(clock);
        var monthStart = new DateOnly(today.Year, today.Month, 1);
        var lastMonth = monthStart.AddMonths(-1);
        var sla = OpenStages.Select(options.Value.HoursFor).ToArray();

        var stages = new List<StageNow>();
        await using (var cmd = dataSource.CreateCommand("""
            SELECT s.stage, s.hours, count(a."Id")::int,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM @now - a."StateSince") / 3600),
                   count(a."Id") FILTER (WHERE @now - a."StateSince" > make_interval(hours => s.hours))::int
              FROM unnest(@stages, @sla) AS s(stage, hours)
              LEFT JOIN applications a ON a."State" = s.stage AND a."TeamId" = ANY(@teams) AND a."Channel" <> 'IMPORT'
             GROUP BY s.stage, s.hours
            """))
        {
            cmd.Parameters.AddWithValue("now", now);
            cmd.Parameters.AddWithValue("stages", OpenStages.Select(s => s.ToString()).ToArray());
            cmd.Parameters.AddWithValue("sla", sla);
            cmd.Parameters.AddWithValue("teams", teamIds);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                stages.Add(new StageNow(Enum.Parse<ApplicationState>(reader.GetString(0)), reader.GetInt32(2),
                    reader.IsDBNull(3) ? null : Round(reader.GetDouble(3)), reader.GetInt32(4), reader.GetInt32(1)));
        }

        stages = [.. stages.OrderBy(s => Array.IndexOf(OpenStages, s.Stage))];
        var (thisFrom, thisTo) = (Start(monthStart), now);
        var (lastFrom, lastTo) = (Start(lastMonth), Start(monthStart));
        var byMode = new List<ModeComparison>();
        foreach (var mode in Enum.GetValues<ApprovalMode>())
            byMode.Add(new ModeComparison(mode, await FlowAsync(teamIds, mode, monthStart, today, thisFrom, thisTo, ct)));
        return new Pipeline(today, stages,
            await FlowAsync(teamIds, null, monthStart, today, thisFrom, thisTo, ct),
            await FlowAsync(teamIds, null, lastMonth, monthStart.AddDays(-1), lastFrom, lastTo, ct),
            await StageTimesAsync(teamIds, thisFrom, thisTo, ct), await StageTimesAsync(teamIds, lastFrom, lastTo, ct), byMode)
        {
            Officers = await OfficerTasksAsync(teamIds, sla, now, (thisFrom, thisTo), (lastFrom, lastTo), ct),
        };
    }

    /// <summary>Midnight in China at the start of a date, as an instant.</summary>
    private static DateTimeOffset Start(DateOnly date) => new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(8)).ToUniversalTime();

    private static decimal Round(double hours) => decimal.Round((decimal)hours, 1, MidpointRounding.AwayFromZero);

    private async Task<PipelineFlow> FlowAsync(Guid[] teamIds, ApprovalMode? mode, DateOnly fromDate, DateOnly toDate, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("""
            WITH files AS (
                SELECT a."Id", a."ReceivedAt" FROM applications a JOIN teams t ON t."Id" = a."TeamId"
                 WHERE a."TeamId" = ANY(@teams) AND a."Channel" <> 'IMPORT' AND (@mode::text IS NULL OR t."ApprovalMode" = @mode)),
            moves AS (
                SELECT tr."From", tr."To", tr."At", f."ReceivedAt" FROM application_transitions tr JOIN files f ON f."Id" = tr."ApplicationId"
                 WHERE tr."At" >= @from AND tr."At" < @to AND tr."From" <> tr."To")
            SELECT (SELECT count(*)::int FROM files WHERE "ReceivedAt" >= @from AND "ReceivedAt" < @to),
                   count(*) FILTER (WHERE "From" = 'Approval' AND "To" = 'FinalReview')::int,
                   count(*) FILTER (WHERE "To" = 'Rejected')::int,
                   count(*) FILTER (WHERE "To" = 'Withdrawn')::int,
                   count(*) FILTER (WHERE "To" = 'Disbursed')::int,
                   count(*) FILTER (WHERE "From" = 'Approval' AND "To" IN ('FinalReview', 'Rejected'))::int,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM "At" - "ReceivedAt") / 86400) FILTER (WHERE "To" = 'Disbursed'),
                   percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM "At" - "ReceivedAt") / 86400) FILTER (WHERE "To" = 'Disbursed')
              FROM moves
            """);
        cmd.Parameters.AddWithValue("teams", teamIds);
        cmd.Parameters.Add(new NpgsqlParameter("mode", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)mode?.ToString() ?? DBNull.Value });
        cmd.Parameters.AddWithValue("from", from);
        cmd.Parameters.AddWithValue("to", to);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return new PipelineFlow(fromDate, toDate, reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3), reader.GetInt32(4),
            reader.GetInt32(5), reader.IsDBNull(6) ? null : Round(reader.GetDouble(6)), reader.IsDBNull(7) ? null : Round(reader.GetDouble(7)));
    }

    private async Task<IReadOnlyList<OfficerTasks>> OfficerTasksAsync(Guid[] teamIds, int[] sla, DateTimeOffset now,
        (DateTimeOffset From, DateTimeOffset To) thisMonth, (DateTimeOffset From, DateTimeOffset To) lastMonth, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("""
            WITH officers AS (
                SELECT DISTINCT u."Id", u."DisplayName"
                  FROM "AspNetUsers" u JOIN "AspNetUserRoles" ur ON ur."UserId" = u."Id" JOIN "AspNetRoles" r ON r."Id" = ur."RoleId"
                 WHERE r."Name" = 'LoanOfficer' AND u."TeamId" = ANY(@teams)),
            open AS (
                SELECT a."AssignedOfficerId" AS officer, a."State", a."StateSince", s.hours
                  FROM applications a JOIN unnest(@stages, @sla) AS s(stage, hours) ON s.stage = a."State"
                 WHERE a."TeamId" = ANY(@teams) AND a."Channel" <> 'IMPORT' AND a."AssignedOfficerId" IS NOT NULL),
            moves AS (
                SELECT a."AssignedOfficerId" AS officer, tr."From", tr."At",
                       lag(tr."At") OVER (PARTITION BY tr."ApplicationId" ORDER BY tr."At", tr."Id") AS entered
                  FROM application_transitions tr JOIN applications a ON a."Id" = tr."ApplicationId"
                 WHERE a."TeamId" = ANY(@teams) AND a."Channel" <> 'IMPORT' AND tr."From" <> tr."To")
            SELECT o."Id", o."DisplayName",
                   (SELECT array_agg("State" ORDER BY "State") FROM open WHERE officer = o."Id"),
                   (SELECT max(extract(epoch FROM @now - "StateSince") / 3600) FROM open WHERE officer = o."Id"),
                   (SELECT count(*)::int FROM open WHERE officer = o."Id" AND @now - "StateSince" > make_interval(hours => hours)),
                   (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM "At" - entered) / 3600) FROM moves
                     WHERE officer = o."Id" AND "From" = 'Assigned' AND "At" >= @thisFrom AND "At" < @thisTo),
                   (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM "At" - entered) / 3600) FROM moves
                     WHERE officer = o."Id" AND "From" = 'Collecting' AND "At" >= @thisFrom AND "At" < @thisTo),
                   (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM "At" - entered) / 3600) FROM moves
                     WHERE officer = o."Id" AND "From" = 'Assigned' AND "At" >= @lastFrom AND "At" < @lastTo),
                   (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM "At" - entered) / 3600) FROM moves
                     WHERE officer = o."Id" AND "From" = 'Collecting' AND "At" >= @lastFrom AND "At" < @lastTo)
              FROM officers o ORDER BY o."DisplayName"
            """);
        cmd.Parameters.AddWithValue("teams", teamIds);
        cmd.Parameters.AddWithValue("stages", OpenStages.Select(s => s.ToString()).ToArray());
        cmd.Parameters.AddWithValue("sla", sla);
        cmd.Parameters.AddWithValue("now", now);
        cmd.Parameters.AddWithValue("thisFrom", thisMonth.From);
        cmd.Parameters.AddWithValue("thisTo", thisMonth.To);
        cmd.Parameters.AddWithValue("lastFrom", lastMonth.From);
        cmd.Parameters.AddWithValue("lastTo", lastMonth.To);
        var rows = new List<OfficerTasks>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        decimal? H(int i) => reader.IsDBNull(i) ? null : Round(reader.GetDouble(i));
        while (await reader.ReadAsync(ct))
        {
            var states = reader.IsDBNull(2) ? [] : reader.GetFieldValue<string[]>(2);
            rows.Add(new OfficerTasks(reader.GetGuid(0), reader.GetString(1),
                states.GroupBy(x => Enum.Parse<ApplicationState>(x)).ToDictionary(g => g.Key, g => g.Count()), H(3), reader.GetInt32(4), H(5), H(6), H(7), H(8)));
        }

        return rows;
    }

    /// <summary>For every move out of a stage in the period: the time since the file entered that stage.</summary>
    private async Task<IReadOnlyList<StageTime>> StageTimesAsync(Guid[] teamIds, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("""
            WITH moves AS (
                SELECT tr."From", tr."At", lag(tr."At") OVER (PARTITION BY tr."ApplicationId" ORDER BY tr."At", tr."Id") AS entered
                  FROM application_transitions tr JOIN applications a ON a."Id" = tr."ApplicationId"
                 WHERE a."TeamId" = ANY(@teams) AND a."Channel" <> 'IMPORT' AND tr."From" <> tr."To")
            SELECT "From", count(*)::int,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM "At" - entered) / 3600),
                   percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM "At" - entered) / 3600)
              FROM moves WHERE entered IS NOT NULL AND "At" >= @from AND "At" < @to AND "From" = ANY(@stages)
             GROUP BY "From"
            """);
        cmd.Parameters.AddWithValue("teams", teamIds);
        cmd.Parameters.AddWithValue("from", from);
        cmd.Parameters.AddWithValue("to", to);
        cmd.Parameters.AddWithValue("stages", OpenStages.Select(s => s.ToString()).ToArray());
        var rows = new List<StageTime>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            rows.Add(new StageTime(Enum.Parse<ApplicationState>(reader.GetString(0)), reader.GetInt32(1), Round(reader.GetDouble(2)), Round(reader.GetDouble(3))));
        return [.. rows.OrderBy(r => Array.IndexOf(OpenStages, r.Stage))];
    }
}
