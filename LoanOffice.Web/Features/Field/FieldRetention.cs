using LoanOffice.Data;
using LoanOffice.Data.Auditing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using Quartz;

namespace LoanOffice.Web.Features.Field;

/// <summary>
/// Tracks are kept <see cref="FieldOptions.RetentionYears"/> years (PIPL: no longer than needed), then their whole
/// months are detached and dropped — never a row-by-row delete. Each run that drops anything is an audit row.
/// </summary>
public sealed class FieldRetention(NpgsqlDataSource dataSource, IDbContextFactory<LoanOfficeDbContext> dbFactory, IAuditContext audit, IOptions<FieldOptions> options, TimeProvider clock)
{
    /// <summary>The months of pings older than the retention (dropped unless <paramref name="dryRun"/>).</summary>
    public async Task<IReadOnlyList<string>> RunAsync(bool dryRun = false, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var cutoff = now.AddYears(-options.Value.RetentionYears);
        var dropped = new List<string>();
        await using (var cmd = dataSource.CreateCommand("SELECT lo_field_drop_partitions_before(@cutoff, @dry)"))
        {
            cmd.Parameters.AddWithValue("cutoff", cutoff);
            cmd.Parameters.AddWithValue("dry", dryRun);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct)) dropped.Add(r.GetString(0));
        }

        if (!dryRun && dropped.Count > 0)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            db.AuditEntries.Add(new AuditEntry
            {
                OccurredAt = now, Actor = audit.Actor, ClientIp = audit.ClientIp, EntityType = "FieldPings", EntityKey = "retention", Action = "Dropped",
                Changes = System.Text.Json.JsonSerializer.Serialize(new { partitions = dropped, cutoff, years = options.Value.RetentionYears }),
            });
            await db.SaveChangesAsync(ct);
        }

        return dropped;
    }
}

/// <summary>Every night: the months of tracks past the retention are dropped.</summary>
[DisallowConcurrentExecution]
public sealed class FieldRetentionJob(FieldRetention retention) : IJob
{
    public static readonly JobKey Key = new("field-retention", "field");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) => await retention.RunAsync(false, cancellationToken);
}
