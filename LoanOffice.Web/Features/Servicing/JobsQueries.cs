using LoanOffice.Data;
using LoanOffice.Data.Servicing;
using LoanOffice.Domain.Common;
using LoanOffice.Web.Jobs;
using Microsoft.EntityFrameworkCore;
using Quartz;

namespace LoanOffice.Web.Features.Servicing;

/// <summary>A trigger: the job's key name (its label comes from resx Job.&lt;name&gt;), a cron expression or a repeat interval.</summary>
public sealed record ScheduleRow(string Job, string? Cron, TimeSpan? Every, DateTimeOffset? Next, DateTimeOffset? Previous);

public sealed record FailureRow(DateOnly BusinessDate, Guid LoanId, string LoanNumber, string Error);

/// <summary>The Jobs page: Quartz schedules, the close's last runs and failures, and "run now".</summary>
public sealed class JobsQueries(IDbContextFactory<LoanOfficeDbContext> dbFactory, CloseOfBusiness close, IServiceProvider services, TimeProvider clock, ILogger<JobsQueries> log)
{
    public DateOnly LastClosableDate => close.LastClosableDate;

    private ISchedulerFactory? Factory => services.GetService<ISchedulerFactory>();

    public async Task<IReadOnlyList<ScheduleRow>> SchedulesAsync()
    {
        if (Factory is null) return [];
        var scheduler = await Factory.GetScheduler();
        var rows = new List<ScheduleRow>();
        foreach (var key in await scheduler.GetTriggerKeys(GroupMatcher<TriggerKey>.AnyGroup()))
        {
            var trigger = await scheduler.GetTrigger(key);
            if (trigger is null) continue;
            rows.Add(new ScheduleRow(trigger.JobKey.Name, (trigger as ICronTrigger)?.CronExpressionString, (trigger as ISimpleTrigger)?.RepeatInterval,
                trigger.NextFireTimeUtc, trigger.PreviousFireTimeUtc));
        }

        return rows;
    }

    public async Task<(IReadOnlyList<CobRun> Runs, IReadOnlyList<FailureRow> Failures)> RunsAsync()
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var runs = await db.CobRuns.AsNoTracking().OrderByDescending(r => r.Id).Take(30).ToListAsync();
        var failures = await (from f in db.CobFailures join l in db.Loans on f.LoanId equals l.Id orderby f.Id descending select new FailureRow(f.BusinessDate, f.LoanId, l.Number, f.Error)).Take(20).ToListAsync();
        return (runs, failures);
    }

    /// <summary>
    /// Records the request (audited, so the caller has its id at once), then runs it through the clustered scheduler
    /// when it runs here (one node takes it), otherwise in the background of this instance.
    /// </summary>
    public async Task<Result<Guid>> RunNowAsync(DateOnly date, string triggeredBy)
    {
        if (date > close.LastClosableDate)
            return Error.Of(ErrorCodes.CloseDateNotEnded, date, close.LastClosableDate).At("date");
        var request = new CobRequest { Id = Guid.CreateVersion7(), TargetDate = date, RequestedBy = triggeredBy.Length > 100 ? triggeredBy[..100] : triggeredBy, RequestedAt = clock.GetUtcNow() };
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            db.CobRequests.Add(request);
            await db.SaveChangesAsync();
        }

        if (Factory is not null)
        {
            var scheduler = await Factory.GetScheduler();
            await scheduler.TriggerJob(CloseOfBusinessJob.Key, new JobDataMap
            {
                [CloseOfBusinessJob.DateKey] = date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                [CloseOfBusinessJob.TriggeredByKey] = triggeredBy,
                [CloseOfBusinessJob.RequestKey] = request.Id.ToString(),
            });
            return request.Id;
        }

        _ = Task.Run(async () =>
        {
            try { await close.RunThroughAsync(date, triggeredBy, null, request.Id, CancellationToken.None); }
            catch (Exception ex) when (ex is Npgsql.NpgsqlException or InvalidOperationException) { log.LogError(ex, "Close of business run-now failed"); }
        });
        return request.Id;
    }

    /// <summary>A request with the runs it produced so far; null when there is no such request.</summary>
    public async Task<CloseRequestStatus?> RequestAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var request = await db.CobRequests.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, ct);
        if (request is null) return null;
        var runs = await db.CobRuns.AsNoTracking().Where(r => r.RequestId == id).OrderBy(r => r.Id).ToListAsync(ct);
        return CloseRequestStatus.Of(request, runs);
    }
}

/// <summary>
/// Where a "run the close through a date" request stands: Queued until the first run starts, Running while a run is
/// (or the target date has not been reached yet), then the target date's run's own outcome (Failed/Interrupted when
/// any of its runs stopped).
/// </summary>
public sealed record CloseRequestStatus(Guid Id, DateOnly TargetDate, string RequestedBy, DateTimeOffset RequestedAt, string Status,
    int LoansClosed, int Accruals, int ClassChanges, int Reminders, int CasesOpened, int CasesClosed, int Failures,
    IReadOnlyList<CloseRunStatus> Runs)
{
    public static CloseRequestStatus Of(CobRequest request, IReadOnlyList<CobRun> runs)
    {
        var status = runs.Count == 0 ? "Queued"
            : runs.Any(r => r.Status is CobRunStatus.Failed or CobRunStatus.Interrupted) ? runs.First(r => r.Status is CobRunStatus.Failed or CobRunStatus.Interrupted).Status.ToString()
            : runs.Any(r => r.Status == CobRunStatus.Running) || runs[^1].BusinessDate < request.TargetDate ? "Running"
            : runs.Any(r => r.Status == CobRunStatus.CompletedWithFailures) ? nameof(CobRunStatus.CompletedWithFailures)
            : nameof(CobRunStatus.Completed);
        return new CloseRequestStatus(request.Id, request.TargetDate, request.RequestedBy, request.RequestedAt, status,
            runs.Sum(r => r.LoansClosed), runs.Sum(r => r.Accruals), runs.Sum(r => r.ClassChanges), runs.Sum(r => r.Reminders),
            runs.Sum(r => r.CasesOpened), runs.Sum(r => r.CasesClosed), runs.Sum(r => r.Failures),
            runs.Select(r => new CloseRunStatus(r.Id, r.BusinessDate, r.Status.ToString(), r.StartedAt, r.FinishedAt, r.LoansToClose, r.LoansClosed,
                r.Accruals, r.ClassChanges, r.Reminders, r.CasesOpened, r.CasesClosed, r.Failures, r.Error)).ToList());
    }
}

public sealed record CloseRunStatus(long RunId, DateOnly BusinessDate, string Status, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt,
    int LoansToClose, int LoansClosed, int Accruals, int ClassChanges, int Reminders, int CasesOpened, int CasesClosed, int Failures, string? Error);
