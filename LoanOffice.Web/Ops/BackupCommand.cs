using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using LoanOffice.Data;
using LoanOffice.Data.Auditing;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace LoanOffice.Web.Ops;

/// <summary>
/// <c>backup DIR</c>: one consistent copy of the database (pg_dump's custom format, inside a snapshot exported by a
/// repeatable-read transaction, so the manifest's row counts and audit-chain head describe exactly what the dump
/// holds — uploaded documents live in the database and are in it) plus <c>manifest.json</c>.
/// <c>restore DIR</c>: into an empty database (created when missing), then checks every table's row count against
/// the manifest, walks the audit chain and compares its head; exit 0 only when all agree.
/// </summary>
public static class BackupCommand
{
    public const string DumpFile = "loanoffice.dump";
    public const string ManifestFile = "manifest.json";

    public sealed record AuditHead(long Sequence, string Hash);

    public sealed record Manifest(DateTimeOffset CreatedAt, string Database, string ServerVersion, Dictionary<string, long> Tables, AuditHead? AuditHead,
        string DumpSha256, long DumpBytes);

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static async Task<int> BackupAsync(IServiceProvider services, string[] args, CancellationToken ct)
    {
        if (args.Length != 1 || args[0].StartsWith('-'))
        {
            await Console.Error.WriteLineAsync("usage: backup DIR   (the script's ./loanoffice backup picks a dated directory when none is given)");
            return 2;
        }

        var dir = Directory.CreateDirectory(args[0]).FullName;
        if (File.Exists(Path.Combine(dir, DumpFile)))
        {
            await Console.Error.WriteLineAsync($"backup: {dir} already holds a backup; choose a new directory");
            return 2;
        }

        var connection = new NpgsqlConnectionStringBuilder(services.GetRequiredService<LoanOfficeDbContext>().Database.GetConnectionString());
        await using var conn = new NpgsqlConnection(connection.ConnectionString);
        await conn.OpenAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        var snapshot = (string)(await new NpgsqlCommand("SELECT pg_export_snapshot()", conn, tx).ExecuteScalarAsync(ct))!;
        var tables = await CountsAsync(conn, tx, ct);
        var head = await HeadAsync(conn, tx, ct);
        var version = (string)(await new NpgsqlCommand("SHOW server_version", conn, tx).ExecuteScalarAsync(ct))!;

        var dump = Path.Combine(dir, DumpFile);
        var (exit, error, _) = await PgAsync("pg_dump", connection, ["--format=custom", "--compress=6", "--snapshot=" + snapshot,
            // PostGIS's own table comes with the extension
            "--exclude-table-data=public.spatial_ref_sys", "--file=" + dump, "--dbname=" + connection.Database], ct);
        await tx.CommitAsync(ct);
        if (exit != 0)
        {
            await Console.Error.WriteLineAsync("backup: pg_dump failed: " + error);
            return 1;
        }

        var manifest = new Manifest(DateTimeOffset.UtcNow, connection.Database!, version, tables, head, await Sha256Async(dump, ct), new FileInfo(dump).Length);
        await File.WriteAllTextAsync(Path.Combine(dir, ManifestFile), JsonSerializer.Serialize(manifest, Json), ct);
        Console.WriteLine($"backup: {dir}: {tables.Count} tables, {tables.Values.Sum():N0} rows, audit head {head?.Sequence.ToString(CultureInfo.InvariantCulture) ?? "—"}, "
                          + $"{manifest.DumpBytes / 1024.0 / 1024.0:0.0} MB");
        return 0;
    }

    public static async Task<int> RestoreAsync(IServiceProvider services, string[] args, CancellationToken ct)
    {
        if (args.Length != 1 || args[0].StartsWith('-'))
        {
            await Console.Error.WriteLineAsync("usage: restore DIR   (into the configured database, which must be empty)");
            return 2;
        }

        var dir = Path.GetFullPath(args[0]);
        if (!File.Exists(Path.Combine(dir, ManifestFile)) || !File.Exists(Path.Combine(dir, DumpFile)))
        {
            await Console.Error.WriteLineAsync($"restore: {dir} holds no backup ({DumpFile} and {ManifestFile})");
            return 2;
        }

        var manifest = JsonSerializer.Deserialize<Manifest>(await File.ReadAllTextAsync(Path.Combine(dir, ManifestFile), ct))!;
        var dump = Path.Combine(dir, DumpFile);
        if (await Sha256Async(dump, ct) != manifest.DumpSha256)
        {
            await Console.Error.WriteLineAsync("restore: the dump does not match its manifest (SHA-256): the backup is damaged");
            return 1;
        }

        var connection = new NpgsqlConnectionStringBuilder(services.GetRequiredService<LoanOfficeDbContext>().Database.GetConnectionString());
        try
        {
            await EnsureEmptyDatabaseAsync(connection, ct);
        }
        catch (InvalidOperationException refused)
        {
            await Console.Error.WriteLineAsync(refused.Message);
            return 2;
        }

        // extensions (PostGIS) belong to the superuser and are already in every new database (template1): their
        // entries are left out, the rest goes in in one transaction
        var (listed, listError, contents) = await PgAsync("pg_restore", connection, ["--list", dump], ct, connectionless: true);
        if (listed != 0)
        {
            await Console.Error.WriteLineAsync("restore: pg_restore --list failed: " + listError);
            return 1;
        }

        var list = Path.Combine(Path.GetTempPath(), $"loanoffice-restore-{Guid.NewGuid():N}.list");
        await File.WriteAllLinesAsync(list, contents.Split('\n').Where(l => !l.Contains(" EXTENSION ", StringComparison.Ordinal)), ct);
        int exit;
        string error;
        try
        {
            (exit, error, _) = await PgAsync("pg_restore", connection, ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
                "--use-list=" + list, "--dbname=" + connection.Database, dump], ct);
        }
        finally
        {
            File.Delete(list);
        }

        if (exit != 0)
        {
            await Console.Error.WriteLineAsync("restore: pg_restore failed: " + error);
            return 1;
        }

        await using var conn = new NpgsqlConnection(connection.ConnectionString);
        await conn.OpenAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        var counts = await CountsAsync(conn, tx, ct);
        var head = await HeadAsync(conn, tx, ct);
        await tx.CommitAsync(ct);
        var problems = manifest.Tables.Where(t => counts.GetValueOrDefault(t.Key, -1) != t.Value)
            .Select(t => $"{t.Key}: {counts.GetValueOrDefault(t.Key, -1)} rows, the manifest says {t.Value}").ToList();
        if (head != manifest.AuditHead) problems.Add($"audit head {head} differs from the manifest's {manifest.AuditHead}");

        var options = new DbContextOptionsBuilder<LoanOfficeDbContext>();
        DependencyInjection.Configure(options, connection.ConnectionString);
        await using (var db = new LoanOfficeDbContext(options.Options))
        {
            var chain = await AuditVerifier.VerifyAsync(db, null, ct);
            if (!chain.Intact) problems.Add("audit chain " + chain);
            else Console.WriteLine("restore: audit chain " + chain);
        }

        foreach (var p in problems) await Console.Error.WriteLineAsync("restore: " + p);
        if (problems.Count > 0) return 1;
        Console.WriteLine($"restore: {manifest.Tables.Count} tables and {manifest.Tables.Values.Sum():N0} rows as in the backup of {manifest.CreatedAt:yyyy-MM-dd HH:mm:ss} UTC; verified");
        return 0;
    }

    /// <summary>Exact row counts of every table of the application's schemas (partitions counted once, under their parent).</summary>
    private static async Task<Dictionary<string, long>> CountsAsync(NpgsqlConnection conn, NpgsqlTransaction tx, CancellationToken ct)
    {
        var names = new List<string>();
        await using (var list = new NpgsqlCommand("""
            SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname)
              FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
               AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'topology', 'tiger') AND n.nspname NOT LIKE 'pg_%'
               AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')
             ORDER BY 1
            """, conn, tx))
        await using (var reader = await list.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct)) names.Add(reader.GetString(0));

        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var name in names)
            counts[name] = (long)(await new NpgsqlCommand($"SELECT count(*) FROM {name}", conn, tx).ExecuteScalarAsync(ct))!;
        return counts;
    }

    private static async Task<AuditHead?> HeadAsync(NpgsqlConnection conn, NpgsqlTransaction tx, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("SELECT seq, hash FROM audit_log WHERE seq > 0 ORDER BY seq DESC LIMIT 1", conn, tx);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? new AuditHead(reader.GetInt64(0), reader.GetString(1)) : null;
    }

    /// <summary>Creates the database when missing; refuses one that already holds tables (a restore never merges).</summary>
    private static async Task EnsureEmptyDatabaseAsync(NpgsqlConnectionStringBuilder target, CancellationToken ct)
    {
        var admin = new NpgsqlConnectionStringBuilder(target.ConnectionString) { Database = "postgres", Pooling = false };
        await using (var conn = new NpgsqlConnection(admin.ConnectionString))
        {
            await conn.OpenAsync(ct);
            var exists = await new NpgsqlCommand($"SELECT 1 FROM pg_database WHERE datname = '{target.Database!.Replace("'", "''", StringComparison.Ordinal)}'", conn).ExecuteScalarAsync(ct) is not null;
            if (!exists) await new NpgsqlCommand($"CREATE DATABASE \"{target.Database.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", conn).ExecuteNonQueryAsync(ct);
        }

        await using var db = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(target.ConnectionString) { Pooling = false }.ConnectionString);
        await db.OpenAsync(ct);
        var tables = (long)(await new NpgsqlCommand("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r','p') AND n.nspname = 'public' AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')", db).ExecuteScalarAsync(ct))!;
        if (tables > 0) throw new InvalidOperationException($"restore: the database {target.Database} is not empty ({tables} tables): restore into an empty one");
    }

    /// <summary>Runs pg_dump / pg_restore of the newest installed PostgreSQL (or the one on PATH) with the connection's credentials.</summary>
    private static async Task<(int Exit, string Error, string Output)> PgAsync(string tool, NpgsqlConnectionStringBuilder c, IEnumerable<string> args, CancellationToken ct,
        bool connectionless = false)
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin", tool)).Where(File.Exists)
                .OrderBy(p => int.TryParse(Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(p))), out var v) ? v : 0).LastOrDefault()
            : null;
        var psi = new ProcessStartInfo(bin ?? tool) { RedirectStandardError = true, RedirectStandardOutput = true };
        if (!connectionless)
        {
            psi.ArgumentList.Add("--host=" + c.Host);
            psi.ArgumentList.Add("--port=" + c.Port.ToString(CultureInfo.InvariantCulture));
            psi.ArgumentList.Add("--username=" + c.Username);
            psi.ArgumentList.Add("--no-password");
        }

        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["PGPASSWORD"] = c.Password ?? string.Empty;
        using var process = Process.Start(psi)!;
        var error = process.StandardError.ReadToEndAsync(ct);
        var output = process.StandardOutput.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        return (process.ExitCode, (await error).Trim(), await output);
    }

    private static async Task<string> Sha256Async(string path, CancellationToken ct)
    {
        await using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(file, ct));
    }
}
