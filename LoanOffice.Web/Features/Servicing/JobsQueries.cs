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
public sealed class JobsQueries(IDbContextFactory<LoanOfficeDbContext> dbFactory, CloseOfBusiness close, IServiceProvider services, ILogger<JobsQueries> log)
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

    /// <summary>Through the clustered scheduler when it runs here (one node takes it); otherwise in the background of this instance.</summary>
    public async Task<Result> RunNowAsync(DateOnly date, string triggeredBy)
    {
        if (date > close.LastClosableDate)
            return Error.Of(ErrorCodes.CloseDateNotEnded, date, close.LastClosableDate).At("date");
        if (Factory is not null)
        {
            var scheduler = await Factory.GetScheduler();
            await scheduler.TriggerJob(CloseOfBusinessJob.Key, new JobDataMap
            {
                [CloseOfBusinessJob.DateKey] = date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                [CloseOfBusinessJob.TriggeredByKey] = triggeredBy,
            });
            return Result.Success();
        }

        _ = Task.Run(async () =>
        {
            try { await close.RunThroughAsync(date, triggeredBy); }
            catch (Exception ex) when (ex is Npgsql.NpgsqlException or InvalidOperationException) { log.LogError(ex, "Close of business run-now failed"); }
        });
        return Result.Success();
    }
}
