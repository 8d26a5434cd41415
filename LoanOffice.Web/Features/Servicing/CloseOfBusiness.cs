using System.Diagnostics;
using LoanOffice.Data.Servicing;
using LoanOffice.Domain.Common;
using LoanOffice.Web.Components.Shared;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace LoanOffice.Web.Features.Servicing;

public sealed class CloseOptions
{
    /// <summary>Loans per transaction; each batch is locked, processed for the date and committed as a whole.</summary>
    public int BatchSize { get; set; } = 20_000;
}

public sealed record CloseDateResult(long RunId, DateOnly BusinessDate, CobRunStatus Status, int LoansClosed, int Accruals,
    int ClassChanges, int Reminders, int CasesOpened, int CasesClosed, int Failures, TimeSpan Duration);

public sealed record CloseProgress(DateOnly BusinessDate, int Closed, int ToClose);

/// <summary>
/// The close of business (日终批处理) for a business date, catching up every earlier date a loan still waits for.
/// Exactly once per loan and date: a batch of loans is locked (others skip it), processed by a handful of set-based
/// statements (<see cref="CloseSql"/>) and its "closed through" date advanced in the same transaction; every insert is
/// insert-if-absent on a unique key. A second run, a run on two nodes at once, or a run after a crash therefore finds
/// only what is not done yet. A batch that fails is retried one loan at a time; a loan that still fails is recorded
/// in cob_failures and skipped (the next run tries it again), and the rest completes.
/// </summary>
public sealed class CloseOfBusiness(NpgsqlDataSource dataSource, TimeProvider clock, IOptions<CloseOptions> options, ILogger<CloseOfBusiness> log)
{
    public const string Actor = "system:close-of-business";

    /// <summary>The latest date that has ended in China: the close for D runs from 00:00 of D + 1.</summary>
    public DateOnly LastClosableDate => Fmt.LastEndedBusinessDate(clock);

    public async Task<Result<IReadOnlyList<CloseDateResult>>> RunThroughAsync(DateOnly target, string triggeredBy,
        IProgress<CloseProgress>? progress = null, Guid? requestId = null, CancellationToken ct = default)
    {
        if (target > LastClosableDate)
            return Error.Of(ErrorCodes.CloseDateNotEnded, target, LastClosableDate).At("date");
        DateOnly? first;
        await using (var conn = await dataSource.OpenConnectionAsync(ct))
        // the first night with work waiting: the earliest end of a rest before the target
        await using (var cmd = new NpgsqlCommand("""SELECT min("RestsUntil") FROM loans WHERE "Status" IN ('Active', 'Overdue') AND "RestsUntil" < @d""", conn))
        {
            cmd.Parameters.AddWithValue("d", target);
            var value = await cmd.ExecuteScalarAsync(ct);
            first = value is DateOnly d ? d : null;
        }

        await MarkInterruptedRunsAsync(ct);
        var results = new List<CloseDateResult>();
        // nothing waiting: still record the run, so "it ran and found everything done" is visible
        var from = first?.AddDays(1) ?? target;
        for (var date = from; date <= target; date = date.AddDays(1))
            results.Add(await RunDateAsync(date, triggeredBy, requestId, progress, ct));
        return results;
    }

    private async Task<CloseDateResult> RunDateAsync(DateOnly date, string triggeredBy, Guid? requestId, IProgress<CloseProgress>? progress, CancellationToken ct)
    {
        var started = clock.GetTimestamp();
        var (runId, toClose) = await StartRunAsync(date, triggeredBy, requestId, ct);
        var skip = new List<Guid>();
        var totals = new Counts();
        try
        {
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                var batch = await CloseBatchAsync(runId, date, skip, ct);
                if (batch is null) break;
                totals.Add(batch);
                progress?.Report(new CloseProgress(date, totals.Closed, toClose));
            }

            await WriteSnapshotAsync(date, ct);
            var status = totals.Failures > 0 ? CobRunStatus.CompletedWithFailures : CobRunStatus.Completed;
            await FinishRunAsync(runId, status, null, CancellationToken.None);
            return new CloseDateResult(runId, date, status, totals.Closed, totals.Accruals, totals.ClassChanges, totals.Reminders,
                totals.CasesOpened, totals.CasesClosed, totals.Failures, clock.GetElapsedTime(started));
        }
        catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException or InvalidOperationException)
        {
            log.LogError(ex, "The close of business for {Date} stopped", date);
            await FinishRunAsync(runId, CobRunStatus.Failed, ex is OperationCanceledException ? "Cancelled (the host stopped); the next run continues." : ex.Message, CancellationToken.None);
            throw;
        }
    }

    /// <summary>The date's portfolio snapshot (the cells the dashboards show for a past date), once every loan is closed for it.</summary>
    private async Task WriteSnapshotAsync(DateOnly date, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var cmd = new NpgsqlCommand(Data.Sql.PortfolioSql.WriteSnapshot, conn);
        cmd.Parameters.AddWithValue("d", date);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Locks and closes one batch for the date; null when no loan is waiting any more.</summary>
    private async Task<Counts?> CloseBatchAsync(long runId, DateOnly date, List<Guid> skip, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var ids = await PickAsync(conn, tx, CloseSql.PickBatch, date, skip, options.Value.BatchSize, ct);
        if (ids.Length == 0) return null;
        try
        {
            var counts = await ApplyAsync(conn, tx, runId, date, ids, ct);
            await tx.CommitAsync(ct);
            return counts;
        }
        catch (PostgresException ex)
        {
            log.LogWarning(ex, "A batch of {Count} loans failed for {Date}; retrying them one at a time", ids.Length, date);
            await tx.RollbackAsync(ct);
        }

        var total = new Counts();
        foreach (var id in ids)
        {
            var single = await CloseOneAsync(runId, date, id, ct);
            if (single is null)
            {
                skip.Add(id);
                total.Failures++;
            }
            else total.Add(single);
        }

        return total;
    }

    private async Task<Counts?> CloseOneAsync(long runId, DateOnly date, Guid id, CancellationToken ct)
    {
        const string lockOne = """
            SELECT "Id" FROM loans WHERE "Id" = ANY(@ids) AND 
            """ + CloseSql.HasWork + " FOR UPDATE";
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        try
        {
            await using var tx = await conn.BeginTransactionAsync(ct);
            await using var cmd = new NpgsqlCommand(lockOne, conn, tx);
            cmd.Parameters.Add(Uuids("ids", [id]));
            cmd.Parameters.AddWithValue("d", date);
            if (await cmd.ExecuteScalarAsync(ct) is null) return new Counts(); // done meanwhile by another node
            var counts = await ApplyAsync(conn, tx, runId, date, [id], ct);
            await tx.CommitAsync(ct);
            return counts;
        }
        catch (PostgresException ex)
        {
            log.LogError(ex, "Loan {LoanId} failed in the close for {Date}; recorded and skipped", id, date);
            await RecordFailureAsync(runId, date, id, ex.MessageText, ct);
            return null;
        }
    }

    private async Task<Counts> ApplyAsync(NpgsqlConnection conn, NpgsqlTransaction tx, long runId, DateOnly date, Guid[] ids, CancellationToken ct)
    {
        var counts = new Counts { Closed = ids.Length };
        var steps = log.IsEnabled(LogLevel.Debug) ? new List<string>() : null;
        await ExecAsync(CloseSql.Batch);
        await ExecAsync(CloseSql.Overdue);
        counts.Accruals = await ExecAsync(CloseSql.Accruals);
        counts.ClassChanges = await ExecAsync(CloseSql.Classify);
        counts.Reminders = await ExecAsync(CloseSql.Reminders);
        counts.CasesOpened = await ExecAsync(CloseSql.OpenCases);
        counts.CasesClosed = await ExecAsync(CloseSql.CloseCases);
        await using var progress = new NpgsqlCommand(CloseSql.Progress, conn, tx);
        progress.Parameters.AddWithValue("closed", counts.Closed);
        progress.Parameters.AddWithValue("accruals", counts.Accruals);
        progress.Parameters.AddWithValue("classes", counts.ClassChanges);
        progress.Parameters.AddWithValue("reminders", counts.Reminders);
        progress.Parameters.AddWithValue("opened", counts.CasesOpened);
        progress.Parameters.AddWithValue("closedCases", counts.CasesClosed);
        progress.Parameters.AddWithValue("run", runId);
        await progress.ExecuteNonQueryAsync(ct);
        if (steps is not null) log.LogDebug("Closed {Count} loans for {Date}: {Steps}", ids.Length, date, string.Join(", ", steps));
        return counts;

        async Task<int> ExecAsync(string sql)
        {
            var started = Stopwatch.GetTimestamp();
            await using var cmd = new NpgsqlCommand(sql, conn, tx);
            cmd.Parameters.Add(Uuids("ids", ids));
            cmd.Parameters.AddWithValue("d", date);
            // ids come in the database's uuid order (PickBatch sorts them): the first and last bound the batch's range
            cmd.Parameters.AddWithValue("lo", ids[0]);
            cmd.Parameters.AddWithValue("hi", ids[^1]);
            if (sql.Contains("@actor", StringComparison.Ordinal)) cmd.Parameters.AddWithValue("actor", Actor);
            var rows = await cmd.ExecuteNonQueryAsync(ct);
            steps?.Add($"{CloseSql.NameOf(sql)} {Stopwatch.GetElapsedTime(started).TotalMilliseconds:0} ms");
            return rows;
        }
    }

    private static async Task<Guid[]> PickAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string sql, DateOnly date, List<Guid> skip, int limit, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn, tx);
        cmd.Parameters.AddWithValue("d", date);
        cmd.Parameters.Add(Uuids("skip", [.. skip]));
        cmd.Parameters.AddWithValue("n", limit);
        var ids = new List<Guid>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) ids.Add(reader.GetGuid(0));
        return [.. ids];
    }

    /// <summary>A run without a heartbeat for this long has lost its process (every batch beats).</summary>
    public static readonly TimeSpan StaleRunAfter = TimeSpan.FromMinutes(2);

    /// <summary>Runs left "Running" by a process that died are recorded as interrupted; this run closes what they left.</summary>
    private async Task MarkInterruptedRunsAsync(CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var cmd = new NpgsqlCommand("""
            UPDATE cob_runs SET "Status" = 'Interrupted', "FinishedAt" = "HeartbeatAt",
                   "Error" = 'No heartbeat since ' || to_char("HeartbeatAt" AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI:SS') ||
                             ': the process running it stopped; the loans it had not closed were closed by a later run.'
             WHERE "Status" = 'Running' AND "HeartbeatAt" < now() - make_interval(secs => @stale)
            """, conn);
        cmd.Parameters.AddWithValue("stale", StaleRunAfter.TotalSeconds);
        var marked = await cmd.ExecuteNonQueryAsync(ct);
        if (marked > 0) log.LogWarning("{Count} close-of-business runs had lost their process and are marked interrupted", marked);
    }

    private async Task<(long RunId, int ToClose)> StartRunAsync(DateOnly date, string triggeredBy, Guid? requestId, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var cmd = new NpgsqlCommand("""
            INSERT INTO cob_runs ("BusinessDate", "StartedAt", "HeartbeatAt", "Status", "Node", "TriggeredBy", "RequestId", "LoansToClose",
                                  "LoansClosed", "Accruals", "ClassChanges", "Reminders", "CasesOpened", "CasesClosed", "Failures")
            SELECT @d, now(), now(), 'Running', @node, @by, @request,
                   (SELECT count(*) FROM loans WHERE 
            """ + CloseSql.HasWork + """
            ), 0, 0, 0, 0, 0, 0, 0
            RETURNING "Id", "LoansToClose"
            """, conn);
        cmd.Parameters.AddWithValue("d", date);
        cmd.Parameters.AddWithValue("node", NodeName);
        cmd.Parameters.AddWithValue("by", triggeredBy.Length > 100 ? triggeredBy[..100] : triggeredBy);
        cmd.Parameters.Add(new NpgsqlParameter("request", NpgsqlDbType.Uuid) { Value = (object?)requestId ?? DBNull.Value });
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (reader.GetInt64(0), reader.GetInt32(1));
    }

    private async Task FinishRunAsync(long runId, CobRunStatus status, string? error, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var cmd = new NpgsqlCommand("""
            UPDATE cob_runs SET "Status" = @status, "FinishedAt" = now(), "HeartbeatAt" = now(), "Error" = @error WHERE "Id" = @run
            """, conn);
        cmd.Parameters.AddWithValue("status", status.ToString());
        cmd.Parameters.AddWithValue("error", (object?)error ?? DBNull.Value);
        cmd.Parameters.AddWithValue("run", runId);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private async Task RecordFailureAsync(long runId, DateOnly date, Guid loanId, string error, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var cmd = new NpgsqlCommand("""
            INSERT INTO cob_failures ("RunId", "LoanId", "BusinessDate", "Error", "At") VALUES (@run, @loan, @d, @error, now());
            UPDATE cob_runs SET "Failures" = "Failures" + 1, "HeartbeatAt" = now() WHERE "Id" = @run;
            """, conn);
        cmd.Parameters.AddWithValue("run", runId);
        cmd.Parameters.AddWithValue("loan", loanId);
        cmd.Parameters.AddWithValue("d", date);
        cmd.Parameters.AddWithValue("error", error);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static NpgsqlParameter Uuids(string name, Guid[] values) => new(name, NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = values };

    private static string NodeName => $"{Environment.MachineName}/{Environment.ProcessId}";

    private sealed class Counts
    {
        public int Closed { get; set; }
        public int Accruals { get; set; }
        public int ClassChanges { get; set; }
        public int Reminders { get; set; }
        public int CasesOpened { get; set; }
        public int CasesClosed { get; set; }
        public int Failures { get; set; }

        public void Add(Counts other)
        {
            Closed += other.Closed;
            Accruals += other.Accruals;
            ClassChanges += other.ClassChanges;
            Reminders += other.Reminders;
            CasesOpened += other.CasesOpened;
            CasesClosed += other.CasesClosed;
            Failures += other.Failures;
        }
    }
}
