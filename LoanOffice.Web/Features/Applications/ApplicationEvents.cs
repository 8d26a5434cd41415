using LoanOffice.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace LoanOffice.Web.Features.Applications;

/// <summary>
/// Live updates of queues across app instances: a command calls <see cref="NotifyAsync"/> inside its transaction
/// (PostgreSQL delivers NOTIFY at commit, never for a rolled-back change); every instance LISTENs and calls its
/// subscribers. Each subscriber is called inside the execution context it subscribed from (its circuit's, with the
/// user's culture), so whatever it renders is in the user's language.
/// </summary>
public sealed class ApplicationEvents
{
    public const string Channel = "application_changed";

    private readonly List<Subscription> _subscribers = [];
    private readonly Lock _gate = new();

    public static Task NotifyAsync(LoanOfficeDbContext db, Guid applicationId, CancellationToken ct = default) =>
        db.Database.ExecuteSqlAsync($"SELECT pg_notify('application_changed', {applicationId.ToString()})", ct);

    /// <summary>Calls <paramref name="handler"/> for every changed application until the result is disposed.</summary>
    public IDisposable Subscribe(Action<Guid> handler)
    {
        var subscription = new Subscription(this, handler, ExecutionContext.Capture());
        lock (_gate) _subscribers.Add(subscription);
        return subscription;
    }

    internal void Raise(Guid id)
    {
        Subscription[] current;
        lock (_gate) current = [.. _subscribers];
        foreach (var s in current)
        {
            if (s.Context is null) s.Handler(id);
            else ExecutionContext.Run(s.Context.CreateCopy(), _ => s.Handler(id), null);
        }
    }

    private sealed class Subscription(ApplicationEvents owner, Action<Guid> handler, ExecutionContext? context) : IDisposable
    {
        public Action<Guid> Handler { get; } = handler;
        public ExecutionContext? Context { get; } = context;

        public void Dispose()
        {
            lock (owner._gate) owner._subscribers.Remove(this);
        }
    }
}

/// <summary>Holds one connection that LISTENs for application changes, reconnecting after a failure.</summary>
public sealed class ApplicationEventsListener(ApplicationEvents events, IConfiguration configuration, ILogger<ApplicationEventsListener> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var connectionString = configuration.GetConnectionString("Default") ?? DependencyInjection.DevelopmentConnection;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var conn = new NpgsqlConnection(connectionString);
                await conn.OpenAsync(stoppingToken);
                conn.Notification += (_, e) =>
                {
                    if (Guid.TryParse(e.Payload, out var id)) events.Raise(id);
                };
                await using (var listen = new NpgsqlCommand("LISTEN " + ApplicationEvents.Channel, conn))
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                while (!stoppingToken.IsCancellationRequested) await conn.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (NpgsqlException ex)
            {
                log.LogWarning(ex, "Lost the LISTEN connection for live queue updates; retrying in 5 s");
                await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken);
            }
        }
    }
}
