using LoanOffice.Data;
using LoanOffice.Data.Auditing;
using LoanOffice.Data.Security;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace LoanOffice.Web.Ops;

/// <summary>
/// <c>rekey [--batch N] [--max-batches N]</c>: re-encrypts every personal-data value not yet under the current key
/// (<see cref="PersonalDataProtector.KeyId"/>), a batch per transaction with the rows locked (SKIP LOCKED: the app keeps
/// working). What is still to do is found by the values' key prefix, so an interrupted run (Ctrl-C, a crash,
/// <c>--max-batches</c>) simply continues where it stopped when started again. Each run is audited.
/// </summary>
public static class RekeyCommand
{
    /// <summary>Every encrypted column: table, key column, the columns holding ciphertext.</summary>
    private static readonly (string Table, string[] Columns)[] Encrypted =
    [
        ("customers", ["ResidentIdCipher", "MobileCipher", "BankAccountCipher"]),
        ("field_devices", ["KeyCipher"]),
    ];

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, CancellationToken ct)
    {
        var batch = 500;
        var maxBatches = int.MaxValue;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--batch" && i + 1 < args.Length && int.TryParse(args[++i], out var b) && b is > 0 and <= 10_000) batch = b;
            else if (args[i] == "--max-batches" && i + 1 < args.Length && int.TryParse(args[++i], out var m) && m > 0) maxBatches = m;
            else
            {
                await Console.Error.WriteLineAsync("usage: rekey [--batch 1-10000] [--max-batches N]");
                return 2;
            }
        }

        var pii = services.GetRequiredService<PersonalDataProtector>();
        var db = services.GetRequiredService<LoanOfficeDbContext>();
        var audit = services.GetRequiredService<IAuditContext>();
        var connection = db.Database.GetConnectionString()!;
        var batches = 0;
        var total = 0;
        foreach (var (table, columns) in Encrypted)
        {
            var done = 0;
            var stale = string.Join(" OR ", columns.Select(c => $"(\"{c}\" IS NOT NULL AND substring(\"{c}\" from 1 for @n) <> @prefix)"));
            while (batches < maxBatches && !ct.IsCancellationRequested)
            {
                await using var conn = new NpgsqlConnection(connection);
                await conn.OpenAsync(ct);
                await using var tx = await conn.BeginTransactionAsync(ct);
                var rows = new List<(Guid Id, byte[]?[] Values)>();
                await using (var pick = new NpgsqlCommand($"SELECT \"Id\", {string.Join(", ", columns.Select(c => $"\"{c}\""))} FROM {table} WHERE {stale} ORDER BY \"Id\" LIMIT @batch FOR UPDATE SKIP LOCKED", conn, tx))
                {
                    pick.Parameters.AddWithValue("n", pii.CurrentPrefix.Length);
                    pick.Parameters.AddWithValue("prefix", pii.CurrentPrefix);
                    pick.Parameters.AddWithValue("batch", batch);
                    await using var reader = await pick.ExecuteReaderAsync(ct);
                    while (await reader.ReadAsync(ct))
                        rows.Add((reader.GetGuid(0), [.. columns.Select((_, i) => reader.IsDBNull(i + 1) ? null : (byte[])reader[i + 1])]));
                }

                if (rows.Count == 0) break;
                foreach (var (id, values) in rows)
                {
                    await using var update = new NpgsqlCommand($"UPDATE {table} SET {string.Join(", ", columns.Select((c, i) => $"\"{c}\" = @v{i}"))} WHERE \"Id\" = @id", conn, tx);
                    for (var i = 0; i < columns.Length; i++)
                    {
                        var value = values[i] is { } cipher && !pii.IsCurrent(cipher) ? pii.Encrypt(pii.Decrypt(cipher)) : values[i];
                        update.Parameters.AddWithValue("v" + i, NpgsqlTypes.NpgsqlDbType.Bytea, (object?)value ?? DBNull.Value);
                    }

                    update.Parameters.AddWithValue("id", id);
                    await update.ExecuteNonQueryAsync(ct);
                }

                await tx.CommitAsync(ct);
                done += rows.Count;
                batches++;
                Console.Error.Write($"\rrekey: {table}: {done} rows re-encrypted");
            }

            if (done > 0) Console.Error.WriteLine();
            total += done;
            if (done > 0)
            {
                db.AuditEntries.Add(new AuditEntry
                {
                    OccurredAt = DateTimeOffset.UtcNow, Actor = audit.Actor, ClientIp = audit.ClientIp, EntityType = "PersonalDataKey", EntityKey = pii.KeyId,
                    Action = "Rekeyed", Changes = System.Text.Json.JsonSerializer.Serialize(new { table, rows = done }),
                });
                await db.SaveChangesAsync(ct);
            }
        }

        var left = 0L;
        await using (var conn = new NpgsqlConnection(connection))
        {
            await conn.OpenAsync(ct);
            foreach (var (table, columns) in Encrypted)
            {
                await using var count = new NpgsqlCommand($"SELECT count(*) FROM {table} WHERE {string.Join(" OR ", columns.Select(c => $"(\"{c}\" IS NOT NULL AND substring(\"{c}\" from 1 for @n) <> @prefix)"))}", conn);
                count.Parameters.AddWithValue("n", pii.CurrentPrefix.Length);
                count.Parameters.AddWithValue("prefix", pii.CurrentPrefix);
                left += (long)(await count.ExecuteScalarAsync(ct))!;
            }
        }

        Console.WriteLine(left == 0
            ? $"rekey: {total} rows re-encrypted; every value is under key {pii.KeyId} (the previous keys may now be removed)"
            : $"rekey: {total} rows re-encrypted, {left} still under a previous key: run rekey again to continue");
        return 0;
    }
}
