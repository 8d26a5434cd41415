using LoanOffice.Domain.Auditing;
using Npgsql;
using NpgsqlTypes;

namespace LoanOffice.Data.Auditing;

/// <summary>
/// The audit rows of a bulk writer (the migration import), appended to the chain already sealed at the end of its
/// transaction: <see cref="Add"/> collects what to write (lazily: the rows are produced only when written),
/// <see cref="WriteAsync"/> — the last step before COMMIT — takes the chain lock (held only until the commit that
/// follows), reads the last link, numbers and hashes every row with <see cref="AuditChain"/> and COPYs them in
/// (migration AuditPresealedAppend: such rows keep their chain fields and are not sealed again).
/// </summary>
public sealed class PresealedAudit
{
    /// <summary>The advisory lock the database's seal takes too (audit_log_seal).</summary>
    public const long ChainLock = 7412001;

    private readonly List<(string Actor, DateTimeOffset At, string EntityType, IEnumerable<(string Key, string Changes)> Rows)> _parts = [];

    public void Add(string actor, DateTimeOffset at, string entityType, IEnumerable<(string Key, string Changes)> rows) =>
        _parts.Add((actor.Length > 200 ? actor[..200] : actor, at, entityType, rows));

    /// <summary>Appends the collected rows, sealed; returns how many. Call in the writer's transaction, right before COMMIT.</summary>
    public async Task<long> WriteAsync(NpgsqlConnection conn, CancellationToken ct)
    {
        if (_parts.Count == 0) return 0;
        await using (var cmd = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@k)", conn))
        {
            cmd.Parameters.AddWithValue("k", ChainLock);
            await cmd.ExecuteNonQueryAsync(ct);
        }

        long seq = 0;
        var previous = AuditChain.GenesisHash;
        await using (var cmd = new NpgsqlCommand("SELECT seq, hash FROM audit_log WHERE seq > 0 ORDER BY seq DESC LIMIT 1", conn))
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
            if (await reader.ReadAsync(ct)) (seq, previous) = (reader.GetInt64(0), reader.GetString(1));

        await Exec(conn, "SELECT set_config('loanoffice.audit_presealed', 'on', true)", ct);
        long written = 0;
        await using (var copy = await conn.BeginBinaryImportAsync(
            "COPY audit_log (occurred_at, actor, entity_type, entity_key, action, changes, seq, previous_hash, hash) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var (actor, at, entityType, rows) in _parts)
            {
                // the database keeps microseconds: the hash is over what it stores
                var occurredAt = new DateTimeOffset(at.UtcTicks - at.UtcTicks % 10, TimeSpan.Zero);
                foreach (var (key, changes) in rows)
                {
                    seq++;
                    var hash = AuditChain.ComputeHash(previous, AuditChain.Canonical(seq, occurredAt, actor, null, entityType, key, "Created", changes));
                    copy.StartRow();
                    copy.Write(occurredAt, NpgsqlDbType.TimestampTz);
                    copy.Write(actor, NpgsqlDbType.Varchar);
                    copy.Write(entityType, NpgsqlDbType.Varchar);
                    copy.Write(key, NpgsqlDbType.Varchar);
                    copy.Write("Created", NpgsqlDbType.Varchar);
                    copy.Write(changes, NpgsqlDbType.Text);
                    copy.Write(seq, NpgsqlDbType.Bigint);
                    copy.Write(previous, NpgsqlDbType.Varchar);
                    copy.Write(hash, NpgsqlDbType.Varchar);
                    previous = hash;
                    written++;
                }
            }

            await copy.CompleteAsync(ct);
        }

        await Exec(conn, "SELECT set_config('loanoffice.audit_presealed', 'off', true)", ct);
        _parts.Clear();
        return written;
    }

    private static async Task Exec(NpgsqlConnection conn, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
