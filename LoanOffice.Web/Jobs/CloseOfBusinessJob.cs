using LoanOffice.Web.Features.Servicing;
using Quartz;

namespace LoanOffice.Web.Jobs;

/// <summary>
/// The nightly close of business: for the date that has just ended (or the date a "run now" asked for), catching up
/// every earlier date first. One at a time across the cluster; the close itself is exactly-once per loan and date,
/// so a firing lost to a killed node is simply finished by the next one.
/// </summary>
[DisallowConcurrentExecution]
public sealed class CloseOfBusinessJob(CloseOfBusiness close, ILogger<CloseOfBusinessJob> log) : IJob
{
    public static readonly JobKey Key = new("close-of-business", "servicing");
    public const string DateKey = "date";
    public const string TriggeredByKey = "triggeredBy";
    public const string RequestKey = "request";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var map = context.MergedJobDataMap;
        var date = map.TryGetString(DateKey, out var text) && DateOnly.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var d)
            ? d : close.LastClosableDate;
        var by = map.TryGetString(TriggeredByKey, out var who) && who is not null ? who : "schedule";
        Guid? request = map.TryGetString(RequestKey, out var r) && Guid.TryParse(r, out var g) ? g : null;
        var result = await close.RunThroughAsync(date, by, null, request, cancellationToken);
        if (!result.IsSuccess) log.LogWarning("Close of business not run: {Error}", result.Error!.Message);
    }
}

/// <summary>Sends what the outbox holds (SMS through the gateway), every few seconds.</summary>
[DisallowConcurrentExecution]
public sealed class NotificationDispatchJob(NotificationDispatcher dispatcher) : IJob
{
    public static readonly JobKey Key = new("notification-dispatch", "servicing");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await dispatcher.DispatchDueAsync(cancellationToken);
}
