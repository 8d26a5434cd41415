using LoanOffice.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace LoanOffice.Web.Features.Applications;

/// <summary>
/// Live updates of queues across app instances: a command calls <see cref="NotifyAsync"/> inside its transaction
/// (PostgreSQL delivers NOTIFY at commit, never for a rolled-back change); every instance LISTENs and raises
/// <see cref="Changed"/> for its open queues.
/// </summary>
public sealed class ApplicationEvents
{
    public const string Channel = "application_changed";

    public event Action<Guid>? Changed;

    public static Task NotifyAsync(LoanOfficeDbContext db, Guid applicationId, CancellationToken ct = default) =>
        db.Database.ExecuteSqlAsync($"SELECT pg_notify('application_changed', {applicationId.ToString()})", ct);

    internal void Raise(Guid id) => Changed?.Invoke(id);
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
