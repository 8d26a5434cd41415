using LoanOffice.Data;
using LoanOffice.Data.Servicing;
using LoanOffice.Data.Sql;
using LoanOffice.Domain.Loans;
using LoanOffice.Domain.Portfolio;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using DomainLoan = LoanOffice.Domain.Loans.Loan;

namespace LoanOffice.Web.Features.Cockpit;

/// <summary>
/// Month-end snapshots for a book brought in with its history (the migration import, the demo company): the close
/// keeps a snapshot from the night it first runs, so for the months before, each loan is replayed by the domain's Loan
/// aggregate (<see cref="DomainLoan.PositionAt"/>) through each month-end with the payments made by then — its class,
/// days past due, outstanding principal and overdue amount that night, exactly as the close would have left them —
/// and the cells are written for the month-ends that have no snapshot yet (a close-written snapshot is never replaced).
/// </summary>
public sealed class SnapshotBackfill(IDbContextFactory<LoanOfficeDbContext> dbFactory, NpgsqlDataSource dataSource)
{
    /// <summary>Writes the missing month-end snapshots before <paramref name="before"/>; returns the dates written.</summary>
    public async Task<IReadOnlyList<DateOnly>> MonthEndsAsync(DateOnly before, CancellationToken ct = default)
    {
        var existing = new HashSet<DateOnly>();
        await using (var cmd = dataSource.CreateCommand("SELECT DISTINCT business_date FROM portfolio_snapshots"))
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct)) existing.Add(reader.GetFieldValue<DateOnly>(0));
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.Loans.AnyAsync(ct) is false) return [];
        var first = await db.Loans.MinAsync(l => l.DisbursedOn, ct);
        var dates = new List<DateOnly>();
        for (var d = new DateOnly(first.Year, first.Month, 1).AddMonths(1).AddDays(-1); d < before; d = d.AddDays(1).AddMonths(1).AddDays(-1))
            if (!existing.Contains(d)) dates.Add(d);
        if (dates.Count == 0) return [];

        var (cells, states) = await ReplayAsync(dates, ct);
        // the loans at risk of the months before the close's first snapshot (the book's own history): each row holds to
        // the next month-end, the last to that first snapshot, where the close's own rows begin
        var firstClosed = existing.Count > 0 ? existing.Min() : before;
        var history = dates.Where(d => d < firstClosed).ToList();
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using (var copy = await conn.BeginBinaryImportAsync("""
            COPY portfolio_snapshots (business_date, team_id, officer_id, product_code, method, class, extended, bucket, loans, principal_outstanding, overdue)
            FROM STDIN (FORMAT BINARY)
            """, ct))
        {
            foreach (var (date, cell) in cells)
            {
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(date, NpgsqlTypes.NpgsqlDbType.Date, ct);
                await copy.WriteAsync(cell.TeamId, NpgsqlTypes.NpgsqlDbType.Uuid, ct);
                if (cell.OfficerId is { } officer) await copy.WriteAsync(officer, NpgsqlTypes.NpgsqlDbType.Uuid, ct); else await copy.WriteNullAsync(ct);
                await copy.WriteAsync(cell.ProductCode, NpgsqlTypes.NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(cell.Method.ToString(), NpgsqlTypes.NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(cell.Class.ToString(), NpgsqlTypes.NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(cell.Extended, NpgsqlTypes.NpgsqlDbType.Boolean, ct);
                await copy.WriteAsync(cell.Bucket, NpgsqlTypes.NpgsqlDbType.Integer, ct);
                await copy.WriteAsync(cell.Loans, NpgsqlTypes.NpgsqlDbType.Integer, ct);
                await copy.WriteAsync(cell.PrincipalOutstanding, NpgsqlTypes.NpgsqlDbType.Numeric, ct);
                await copy.WriteAsync(cell.Overdue, NpgsqlTypes.NpgsqlDbType.Numeric, ct);
            }

            await copy.CompleteAsync(ct);
        }

        await using (var copy = await conn.BeginBinaryImportAsync("""
            COPY portfolio_loan_states (loan_id, valid_from, valid_to, team_id, officer_id, product_code, method, class, extended, bucket, dpd,
                                        principal_outstanding, overdue) FROM STDIN (FORMAT BINARY)
            """, ct))
        {
            foreach (var st in states)
            {
                var at = history.IndexOf(st.Date);
                if (at < 0) continue;
                var until = at + 1 < history.Count ? history[at + 1] : firstClosed;
                var c = st.Cell;
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(st.LoanId, NpgsqlTypes.NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(st.Date, NpgsqlTypes.NpgsqlDbType.Date, ct);
                await copy.WriteAsync(until, NpgsqlTypes.NpgsqlDbType.Date, ct);
                await copy.WriteAsync(c.TeamId, NpgsqlTypes.NpgsqlDbType.Uuid, ct);
                if (c.OfficerId is { } officer) await copy.WriteAsync(officer, NpgsqlTypes.NpgsqlDbType.Uuid, ct); else await copy.WriteNullAsync(ct);
                await copy.WriteAsync(c.ProductCode, NpgsqlTypes.NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(c.Method.ToString(), NpgsqlTypes.NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(c.Class.ToString(), NpgsqlTypes.NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(c.Extended, NpgsqlTypes.NpgsqlDbType.Boolean, ct);
                await copy.WriteAsync(c.Bucket, NpgsqlTypes.NpgsqlDbType.Integer, ct);
                await copy.WriteAsync(st.Dpd, NpgsqlTypes.NpgsqlDbType.Integer, ct);
                await copy.WriteAsync(c.PrincipalOutstanding, NpgsqlTypes.NpgsqlDbType.Numeric, ct);
                await copy.WriteAsync(c.Overdue, NpgsqlTypes.NpgsqlDbType.Numeric, ct);
            }

            await copy.CompleteAsync(ct);
        }

        await tx.CommitAsync(ct);
        return dates;
    }

    /// <summary>A loan at risk on a date as the replay finds it: its cell (of one loan) and its days past due.</summary>
    private sealed record LoanAtRisk(Guid LoanId, DateOnly Date, PortfolioCell Cell, int Dpd);

    /// <summary>The book's cells on each date, by the domain's replay of every loan (nothing is written).</summary>
    public async Task<List<(DateOnly Date, PortfolioCell Cell)>> CellsAsync(IReadOnlyList<DateOnly> dates, CancellationToken ct = default) =>
        (await ReplayAsync(dates, ct)).Cells;

    private async Task<(List<(DateOnly Date, PortfolioCell Cell)> Cells, List<LoanAtRisk> AtRisk)> ReplayAsync(IReadOnlyList<DateOnly> dates, CancellationToken ct)
    {
        var atRisk = new List<LoanAtRisk>();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var last = dates.Max();
        var loans = await db.Loans.AsNoTracking().Include(l => l.Installments).Where(l => l.DisbursedOn <= last).ToListAsync(ct);
        var products = await db.Applications.AsNoTracking().Where(a => loans.Select(l => l.ApplicationId).Contains(a.Id))
            .ToDictionaryAsync(a => a.Id, a => a.ProductCode, ct);
        var payments = (await db.LoanTransactions.AsNoTracking().Where(t => t.ReversedAt == null).OrderBy(t => t.ValueDate).ThenBy(t => t.PostedAt)
            .Select(t => new { t.LoanId, t.Id, t.Kind, t.ValueDate, t.Amount, t.PostedAt }).ToListAsync(ct)).ToLookup(t => t.LoanId);
        var extensions = (await db.LoanExtensions.AsNoTracking().Where(e => e.Status == ExtensionStatus.Approved && e.EffectiveOn != null)
            .Select(e => new { e.LoanId, e.EffectiveOn }).ToListAsync(ct)).ToLookup(e => e.LoanId, e => e.EffectiveOn!.Value);

        var cells = new Dictionary<(DateOnly, Guid, Guid?, string, RepaymentMethod, LoanClass, bool, int), (int Loans, decimal Principal, decimal Overdue)>();
        foreach (var loan in loans)
        {
            var history = payments[loan.Id].ToList();
            // the schedule the loan was disbursed with (a prepayment or an extension later replaced the stored one)
            var original = DomainLoan.Resume(loan.Terms, DomainLoan.StartOf(ScheduleCalculator.Build(loan.Method, loan.Principal, loan.AnnualRate, loan.Months, loan.DisbursedOn).Value!),
                null, history.Where(t => t.Kind == TransactionKind.Repayment).Select(t => new PaymentEvent(t.Id, t.ValueDate, t.Amount)));
            var changed = history.Where(t => t.Kind == TransactionKind.Prepayment).Select(t => (DateOnly?)t.ValueDate).FirstOrDefault();
            var extendedOn = extensions[loan.Id].Cast<DateOnly?>().Min();
            if (extendedOn is { } e && (changed is null || e < changed)) changed = e;
            foreach (var date in dates.Where(d => d >= loan.DisbursedOn && (changed is null || d < changed)))
            {
                var position = original.PositionAt(date);
                if (!position.IsSuccess) continue;
                var p = position.Value!;
                if (p.SettledOn is { } settled && settled <= date) continue;
                var overdue = p.State.Installments.Where(i => LoanRulesSql.IsOverdue(i.DueDate, loan.GraceDays, i.PrincipalOutstanding, i.InterestOutstanding, date))
                    .Sum(i => i.PrincipalOutstanding + i.InterestOutstanding);
                var key = (date, loan.TeamId, loan.OfficerId, products.GetValueOrDefault(loan.ApplicationId, ""), loan.Method, p.Class, false, PortfolioQuality.Bucket(p.DaysPastDue));
                var sum = cells.GetValueOrDefault(key);
                cells[key] = (sum.Loans + 1, sum.Principal + p.State.PrincipalOutstanding, sum.Overdue + overdue);
                if (p.DaysPastDue > 0 || p.Class != LoanClass.Normal)
                    atRisk.Add(new LoanAtRisk(loan.Id, date, new PortfolioCell(key.Item2, key.Item3, key.Item4, key.Item5, key.Item6, key.Item7, key.Item8,
                        1, p.State.PrincipalOutstanding, overdue), p.DaysPastDue));
            }
        }

        return (cells.Select(c => (c.Key.Item1, new PortfolioCell(c.Key.Item2, c.Key.Item3, c.Key.Item4, c.Key.Item5, c.Key.Item6, c.Key.Item7, c.Key.Item8,
            c.Value.Loans, c.Value.Principal, c.Value.Overdue))).ToList(), atRisk);
    }
}
