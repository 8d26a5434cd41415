using LoanOffice.Web.Hosting;
using LoanOffice.Tests.Support;
using LoanOffice.Web.Features.Applications;
using LoanOffice.Web.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Quartz;
using Shouldly;

namespace LoanOffice.Tests.Jobs;

/// <summary>A job that records that it ran (the scheduler test's probe).</summary>
public sealed class ProbeJob : IJob
{
    public static readonly TaskCompletionSource<string> Fired = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        Fired.TrySetResult(context.FireInstanceId);
        return ValueTask.CompletedTask;
    }
}

/// <summary>The app's scheduler: Quartz.NET, clustered, its job store in PostgreSQL's qrtz_ tables (an EF migration).</summary>
public class SchedulerTests : IAsyncLifetime
{
    public Task InitializeAsync() => TestDatabase.EnsureReadyAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task TheAppRunsAClusteredSchedulerOnPostgres_AndAJobScheduledThereFires()
    {
        using var app = new AppFactory();
        app.Settings["Jobs:Enabled"] = "true";
        _ = app.CreateClient(); // start the host and its hosted services
        var scheduler = await app.Services.GetRequiredService<ISchedulerFactory>().GetScheduler(default);
        scheduler.ShouldNotBeNull();
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (scheduler.Status != SchedulerStatus.Running && DateTime.UtcNow < deadline) await Task.Delay(100);
        var meta = await scheduler.GetMetadata(default);
        meta.Status.ShouldBe(SchedulerStatus.Running);
        meta.SchedulerName.ShouldBe(JobsSetup.SchedulerName);
        meta.JobStoreClustered.ShouldBeTrue();
        meta.JobStorePersistent.ShouldBeTrue();

        var job = JobBuilder.Create<ProbeJob>().WithIdentity("probe-" + Guid.NewGuid().ToString("N"), "tests").Build();
        await scheduler.ScheduleJob(job, TriggerBuilder.Create().StartNow().Build(), default);
        var fired = await ProbeJob.Fired.Task.WaitAsync(TimeSpan.FromSeconds(20));
        fired.ShouldNotBeNullOrEmpty();

        // the instance checked in to the cluster table in PostgreSQL
        await using var scope = await ActingAs.UserAsync(app.Services, "admin");
        await using var db = await scope.Get<ActorContext>().OpenAsync();
        var instances = await db.Database.SqlQuery<string>($"SELECT instance_name AS \"Value\" FROM qrtz_scheduler_state WHERE sched_name = {JobsSetup.SchedulerName}").ToListAsync();
        instances.ShouldContain(meta.SchedulerInstanceId);
    }
}
