using LoanOffice.Data;
using Quartz;

namespace LoanOffice.Web.Jobs;

/// <summary>
/// The Quartz.NET scheduler: ADO.NET job store on PostgreSQL (the qrtz_ tables of the QuartzJobStore migration), in
/// clustered mode so several app instances share the schedule and each firing runs on one node only. Quartz does not
/// re-run a firing lost to a killed node, so every job must itself be idempotent and resumable. Turned off with
/// <c>Jobs:Enabled=false</c> (test hosts do, unless the test is about jobs).
/// </summary>
public static class JobsSetup
{
    public const string SchedulerName = "LoanOffice";

    /// <summary>Every night at 00:30 China time, for the date that has just ended.</summary>
    public const string DefaultCloseCron = "0 30 0 * * ?";

    public static readonly TriggerKey NightlyCloseTrigger = new("close-nightly", "servicing");
    public static readonly TriggerKey DispatchTrigger = new("dispatch-every-few-seconds", "servicing");
    public static readonly TriggerKey OfflineAlertsTrigger = new("offline-alerts-every-minute", "field");
    public static readonly TriggerKey FieldRetentionTrigger = new("field-retention-nightly", "field");

    public static IServiceCollection AddLoanOfficeJobs(this IServiceCollection services, IConfiguration configuration)
    {
        if (!configuration.GetValue("Jobs:Enabled", true)) return services;
        var connectionString = configuration.GetConnectionString("Default") ?? DependencyInjection.DevelopmentConnection;
        services.AddQuartz(q =>
        {
            q.ConfigureScheduler(o =>
            {
                o.InstanceName = SchedulerName;
                o.GenerateInstanceId = true; // unique per app instance, as clustering requires
                o.DefaultTimeZone = Components.Shared.Fmt.ChinaTime; // "each night" means China's night
            });
            q.UsePersistentStore(store =>
            {
                store.UsePostgres(connectionString);
                store.UseClustering(c =>
                {
                    c.CheckinInterval = TimeSpan.FromSeconds(configuration.GetValue("Jobs:CheckinSeconds", 5));
                    c.CheckinMisfireThreshold = TimeSpan.FromSeconds(configuration.GetValue("Jobs:CheckinSeconds", 5) * 4);
                });
                store.UseSystemTextJsonSerializer(_ => { });
            });
            q.AddJob<CloseOfBusinessJob>(j => j.WithIdentity(CloseOfBusinessJob.Key).StoreDurably().WithDescription("Close of business (日终批处理)"));
            q.AddTrigger(t => t.ForJob(CloseOfBusinessJob.Key).WithIdentity(NightlyCloseTrigger)
                .WithCronSchedule(configuration.GetValue("Jobs:CloseCron", DefaultCloseCron)!, c => c.InTimeZone(Components.Shared.Fmt.ChinaTime)));
            q.AddJob<NotificationDispatchJob>(j => j.WithIdentity(NotificationDispatchJob.Key).StoreDurably().WithDescription("Notification dispatcher (SMS outbox)"));
            q.AddTrigger(t => t.ForJob(NotificationDispatchJob.Key).WithIdentity(DispatchTrigger)
                .WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromSeconds(configuration.GetValue("Jobs:DispatchSeconds", 10))).RepeatForever()));
            q.AddJob<Features.Field.OfflineAlertJob>(j => j.WithIdentity(Features.Field.OfflineAlertJob.Key).StoreDurably().WithDescription("Field: offline alerts (外勤离线提醒)"));
            q.AddTrigger(t => t.ForJob(Features.Field.OfflineAlertJob.Key).WithIdentity(OfflineAlertsTrigger)
                .WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromSeconds(configuration.GetValue("Jobs:OfflineAlertSeconds", 60))).RepeatForever()));
            q.AddJob<Features.Field.FieldRetentionJob>(j => j.WithIdentity(Features.Field.FieldRetentionJob.Key).StoreDurably().WithDescription("Field: tracks past their retention dropped (轨迹保留期)"));
            q.AddTrigger(t => t.ForJob(Features.Field.FieldRetentionJob.Key).WithIdentity(FieldRetentionTrigger)
                .WithCronSchedule("0 15 1 * * ?", c => c.InTimeZone(Components.Shared.Fmt.ChinaTime)));
        });
        services.AddQuartzHostedService(o =>
        {
            o.WaitForJobsToComplete = true;
            o.AwaitApplicationStarted = true;
        });
        return services;
    }
}
