using LoanOffice.Data.Servicing;
using LoanOffice.Domain.Common;
using LoanOffice.Domain.Loans;
using LoanOffice.Tests.Support;
using LoanOffice.Web.Features.Servicing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NpgsqlTypes;
using Shouldly;
using DomainLoan = LoanOffice.Domain.Loans.Loan;

namespace LoanOffice.Tests.Integration;

/// <summary>
/// The loan book's rules exist twice — in C# (the domain) and in SQL (LoanOffice.Data/Sql/LoanRules.sql, which the
/// close and the reports call). These tests keep the two equal: the SQL functions against the domain on thousands of
/// random inputs, and the SQL close against the domain's replay, row by row, for random loans with partial,
/// back-dated and reversed payments, grace days, and DPD 90/91, 270/271, 360/361.
/// </summary>
public class LoanRulesAgreementTests(IsolatedApp app) : ServicingTestBase(app)
{
    private static readonly int Seed = int.TryParse(Environment.GetEnvironmentVariable("AGREEMENT_SEED"), out var s) ? s : 20261201;
    private static NpgsqlParameter Array(string name, NpgsqlDbType type, System.Array values) => new(name, NpgsqlDbType.Array | type) { Value = values };

    private Task<NpgsqlConnection> OpenAsync() => Sql.OpenAsync();

    [Fact]
    public async Task TheSqlFunctions_AgreeWithTheDomain_OnRandomInputs()
    {
        var rnd = new Random(Seed);
        const int n = 5000;
        var due = new DateOnly[n];
        var grace = new int[n];
        var principal = new decimal[n];
        var interest = new decimal[n];
        var on = new DateOnly[n];
        var basis = new decimal[n];
        var penaltyRate = new decimal[n];
        for (var i = 0; i < n; i++)
        {
            due[i] = new DateOnly(2025, 1, 1).AddDays(rnd.Next(0, 400));
            grace[i] = rnd.Next(0, 6);
            principal[i] = rnd.Next(4) == 0 ? 0m : rnd.Next(0, 1_000_000) / 100m;
            interest[i] = rnd.Next(4) == 0 ? 0m : rnd.Next(0, 100_000) / 100m;
            on[i] = due[i].AddDays(rnd.Next(-3, 10));
            basis[i] = rnd.Next(0, 10_000_000) / 100m;
            // annual × (1 + markup) with 4-decimal annual rates and markups of whole percents, as products have them
            penaltyRate[i] = OverdueAccrual.PenaltyAnnualRate(rnd.Next(100, 2400) / 10_000m, rnd.Next(0, 100) / 100m);
        }

        basis[0] = 9m; penaltyRate[0] = OverdueAccrual.PenaltyAnnualRate(0.049m, 0.3m); // 0.0015925 exactly: the half must round up

        // with the reminder lead days, for when the close next has work for an installment (reminder, first overdue day,
        // every day while overdue, never once paid)
        var lead = new int[n];
        for (var i = 0; i < n; i++) lead[i] = rnd.Next(0, 8);

        await using var conn = await OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            SELECT lo_is_overdue(d, g, p, it, o), lo_daily_accrual(b, r), lo_accrued_due(b, it), lo_next_event(d, g, l, p + it, o)
              FROM unnest(@due, @grace, @p, @it, @on, @b, @r, @lead) AS t(d, g, p, it, o, b, r, l)
            """, conn);
        cmd.Parameters.Add(Array("due", NpgsqlDbType.Date, due));
        cmd.Parameters.Add(Array("grace", NpgsqlDbType.Integer, grace));
        cmd.Parameters.Add(Array("p", NpgsqlDbType.Numeric, principal));
        cmd.Parameters.Add(Array("it", NpgsqlDbType.Numeric, interest));
        cmd.Parameters.Add(Array("on", NpgsqlDbType.Date, on));
        cmd.Parameters.Add(Array("b", NpgsqlDbType.Numeric, basis));
        cmd.Parameters.Add(Array("r", NpgsqlDbType.Numeric, penaltyRate));
        cmd.Parameters.Add(Array("lead", NpgsqlDbType.Integer, lead));
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            for (var i = 0; await reader.ReadAsync(); i++)
            {
                reader.GetBoolean(0).ShouldBe(PaymentAllocator.IsOverdue(new InstallmentBalance(1, due[i], principal[i], interest[i]), on[i], grace[i]), $"overdue #{i}");
                reader.GetDecimal(1).ShouldBe(OverdueAccrual.Daily(basis[i], penaltyRate[i]), $"daily accrual #{i}: {basis[i]} × {penaltyRate[i]} ÷ 360");
                reader.GetDecimal(2).ShouldBe(OverdueAccrual.Outstanding(basis[i], interest[i]), $"accrued due #{i}");
                (reader.IsDBNull(3) ? (DateOnly?)null : DateOnly.FromDateTime(reader.GetDateTime(3)))
                    .ShouldBe(CloseWork.NextEvent(due[i], grace[i], lead[i], principal[i] + interest[i], on[i]), $"next event #{i}");
            }
        }

        OverdueAccrual.Daily(9m, penaltyRate[0]).ShouldBe(0.001593m);

        // an amount in a message: lo_cny agrees with MoneyRules.FormatCny (separators, the fen, half away from zero)
        var amounts = basis.Select((b, i) => i % 3 == 0 ? b * 1000.005m : b).Append(6219.42m).Append(0.005m).Append(1_234_567.995m).ToArray();
        await using (var cny = new NpgsqlCommand("SELECT lo_cny(a) FROM unnest(@a) AS t(a)", conn))
        {
            cny.Parameters.Add(Array("a", NpgsqlDbType.Numeric, amounts));
            await using var reader = await cny.ExecuteReaderAsync();
            for (var i = 0; await reader.ReadAsync(); i++) reader.GetString(0).ShouldBe(MoneyRules.FormatCny(amounts[i]), $"amount #{i}: {amounts[i]}");
        }

        // class bands over every DPD a loan can have, the edges included
        await using var bands = new NpgsqlCommand("SELECT g, lo_dpd_class(g) FROM generate_series(-1, 800) g", conn);
        await using (var reader = await bands.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                reader.GetString(1).ShouldBe(Classification.FromDaysPastDue(reader.GetInt32(0)).ToString(), $"dpd {reader.GetInt32(0)}");

        // the effective class for every pair of DPD class and manual class
        var classes = Enum.GetValues<LoanClass>();
        foreach (var dpdClass in classes)
        foreach (var manual in classes.Cast<LoanClass?>().Append(null))
        {
            await using var eff = new NpgsqlCommand("SELECT lo_effective_class(@d, @m)", conn);
            eff.Parameters.AddWithValue("d", dpdClass.ToString());
            eff.Parameters.AddWithValue("m", NpgsqlDbType.Text, (object?)manual?.ToString() ?? DBNull.Value);
            ((string)(await eff.ExecuteScalarAsync())!).ShouldBe(Classification.Effective(dpdClass, manual).ToString(), $"{dpdClass} / {manual}");
        }
    }

    private sealed record Generated(Guid Id, TestLoans.Terms Terms, DateOnly DisbursedOn);

    [Fact]
    public async Task TheSqlClose_AgreesWithTheDomainReplay_RowByRow_ForRandomHistories()
    {
        var rnd = new Random(Seed);
        var end = new DateOnly(2025, 12, 31);
        var loans = new List<Generated>();
        var methods = Enum.GetValues<RepaymentMethod>();
        for (var i = 0; i < 24; i++)
        {
            var terms = new TestLoans.Terms(Principal: rnd.Next(100_000, 5_000_000) / 100m, AnnualRate: rnd.Next(500, 2400) / 10_000m,
                Months: rnd.Next(1, 13), Method: methods[rnd.Next(methods.Length)], PenaltyMarkup: rnd.Next(2) == 0 ? 0.3m : 0.5m, GraceDays: rnd.Next(0, 6));
            var on = end.AddDays(-rnd.Next(45, 150));
            loans.Add(new Generated(await TestLoans.CreateAsync(App.Services, on, terms), terms, on));
        }

        // unpaid one-month bullets whose only installment is exactly 90/91, 270/271, 360/361 days past due on the last day;
        // they join the close for its last days only (their class, not their year of accruals, is what they test)
        var edges = new List<Guid>();
        foreach (var dpd in new[] { 90, 91, 270, 271, 360, 361 })
        {
            var terms = new TestLoans.Terms(Principal: 10_000m, AnnualRate: 0.12m, Months: 1, Method: RepaymentMethod.Bullet);
            var on = end.AddDays(-dpd).AddMonths(-1);
            on.AddMonths(1).ShouldBe(end.AddDays(-dpd), "the due date lands where the DPD edge needs it");
            var id = await TestLoans.CreateAsync(App.Services, on, terms);
            await Sql.ExecAsync("""UPDATE loans SET "ClosedThrough" = @c, "RestsUntil" = @c WHERE "Id" = @id""", ("c", end.AddDays(-3)), ("id", id));
            edges.Add(id);
        }

        var close = App.Services.GetRequiredService<CloseOfBusiness>();
        var midway = end.AddDays(-20);
        (await close.RunThroughAsync(midway, "agreement")).IsSuccess.ShouldBeTrue();

        // partial, late, back-dated (value dates long before the last close) payments in random order, some reversed
        var posted = 0;
        foreach (var loan in loans)
        {
            for (var k = rnd.Next(0, 5); k > 0; k--)
            {
                var valueDate = loan.DisbursedOn.AddDays(rnd.Next(0, midway.DayNumber - loan.DisbursedOn.DayNumber + 2));
                var amount = rnd.Next(100, (int)(loan.Terms.Principal / loan.Terms.Months * 130m)) / 100m;
                var result = await PostAsync(loan.Id, valueDate, amount);
                if (result.IsSuccess) posted++;
                else result.Error!.Code.ShouldBeOneOf([ErrorCodes.Overpayment, ErrorCodes.NotActive, ErrorCodes.LoanSettled], result.Error.Message);
            }
        }

        posted.ShouldBeGreaterThan(20, "enough history to compare");
        await using (var db = Sql.Db())
        {
            var ids = loans.Select(l => l.Id).ToList();
            var reversible = await db.LoanTransactions.AsNoTracking().Where(t => ids.Contains(t.LoanId)).OrderBy(t => t.Id).ToListAsync();
            foreach (var t in reversible.Where((_, i) => i % 4 == 1))
            {
                await using var scope = await ActingAs.UserAsync(App.Services, "finance");
                var version = (await db.Loans.AsNoTracking().SingleAsync(l => l.Id == t.LoanId)).Version;
                (await scope.Get<LoanServicing>().ReverseAsync(t.LoanId, t.Id, "退票", version)).IsSuccess.ShouldBeTrue();
            }
        }

        (await close.RunThroughAsync(end, "agreement")).IsSuccess.ShouldBeTrue();

        await using var check = Sql.Db();
        foreach (var loan in loans)
        {
            var stored = await check.Loans.AsNoTracking().Include(l => l.Installments).SingleAsync(l => l.Id == loan.Id);
            var payments = await check.LoanTransactions.AsNoTracking().Where(t => t.LoanId == loan.Id && t.ReversedAt == null)
                .OrderBy(t => t.ValueDate).ThenBy(t => t.PostedAt).ToListAsync();
            var replayed = DomainLoan.Resume(stored.Terms, DomainLoan.Disburse(stored.Terms).Value!.Start, null,
                payments.Select(p => new PaymentEvent(p.Id, p.ValueDate, p.Amount))).PositionAt(end).Value!;
            var label = $"loan {stored.Number} ({loan.Terms}, disbursed {loan.DisbursedOn:yyyy-MM-dd}, {payments.Count} payments)";

            var rows = await check.LoanAccruals.AsNoTracking().Where(a => a.LoanId == loan.Id).ToListAsync();
            var sql = rows.OrderBy(a => a.BusinessDate).ThenBy(a => a.Kind).Select(a => (a.BusinessDate, a.Kind, a.Basis, a.Amount)).ToList();
            var domain = replayed.Accruals.SelectMany(a => new[]
                {
                    (a.Date, AccrualKind.Penalty, a.PenaltyBasis, a.Penalty),
                    (a.Date, AccrualKind.Compound, a.CompoundBasis, a.Compound),
                }).Where(a => a.Item3 > 0m).OrderBy(a => a.Date).ThenBy(a => a.Item2).ToList();
            sql.Zip(domain).FirstOrDefault(p => p.First != p.Second).ShouldBe(default, label + ": the first accrual row that differs");
            sql.Count.ShouldBe(domain.Count, label + ": accrual rows");

            (stored.DaysPastDue, stored.DpdClass, stored.Class, stored.Status).ShouldBe(
                (replayed.DaysPastDue, replayed.DpdClass, replayed.Class, replayed.Status), label);
            stored.Installments.OrderBy(i => i.Number).Select(i => (i.Number, i.PrincipalPaid, i.InterestPaid))
                .ShouldBe(replayed.State.Installments.Select(i => (i.Number, i.PrincipalPaid, i.InterestPaid)), label);
            (stored.PenaltyPaid, stored.CompoundPaid).ShouldBe((replayed.State.PenaltyPaid, replayed.State.CompoundPaid), label);
            // the position the cockpit reads off the loan row (kept by LoanPositions.sql's triggers and the close) is the domain's
            var balances = replayed.State.Installments.Select(i => new InstallmentBalance(i.Number, i.DueDate, i.Principal - i.PrincipalPaid, i.Interest - i.InterestPaid)).ToList();
            var kept = await Sql.ScalarAsync<decimal[]>("""SELECT ARRAY["PrincipalOutstanding", "OverdueAmount"] FROM loans WHERE "Id" = @id""", ("id", loan.Id));
            kept.ShouldBe([balances.Sum(b => b.PrincipalOutstanding),
                balances.Where(b => PaymentAllocator.IsOverdue(b, stored.ClosedThrough, stored.GraceDays)).Sum(b => b.PrincipalOutstanding + b.InterestOutstanding)], label + ": stored position");
            // the close passed by only loans with nothing to do, and the rest it left is the domain's
            (stored.ClosedThrough == end || stored.RestsUntil >= end).ShouldBeTrue(label + ": no loan left behind with work");
            stored.RestsUntil.ShouldBe(CloseWork.RestsUntil(stored.Balances(), stored.GraceDays, stored.ReminderLeadDays, stored.ClosedThrough), label + ": rests until");

            // and the what-if simulator, given the same history, reports the same figures
            var simulated = LoanSimulator.Run(new SimulationScenario(stored.Terms, payments.Select(p => new SimulatedPayment(p.ValueDate, p.Amount)).ToList(),
                [], [], [], end)).Value!;
            (simulated.DaysPastDue, simulated.Class).ShouldBe((stored.DaysPastDue, stored.Class), label);
            simulated.PenaltyAccrued.ShouldBe(rows.Where(a => a.Kind == AccrualKind.Penalty).Sum(a => a.Amount), label);
            simulated.CompoundAccrued.ShouldBe(rows.Where(a => a.Kind == AccrualKind.Compound).Sum(a => a.Amount), label);
        }

        (await Sql.LiveCellsDifferAsync()).ShouldBe(0L, "today's cells kept by the triggers equal the loans added up");
        (await Sql.LoanStatesDifferAsync()).ShouldBe(0L, "each night's per-loan rows of the loans at risk add up to that night's at-risk cells");
        var edgeRows = await check.Loans.AsNoTracking().Where(l => edges.Contains(l.Id)).Select(l => new { l.DaysPastDue, l.Class }).ToListAsync();
        edgeRows.OrderBy(e => e.DaysPastDue).Select(e => (e.DaysPastDue, e.Class)).ShouldBe(
        [
            (90, LoanClass.SpecialMention), (91, LoanClass.Substandard), (270, LoanClass.Substandard),
            (271, LoanClass.Doubtful), (360, LoanClass.Doubtful), (361, LoanClass.Loss),
        ]);
    }

    private async Task<Result<PostedPayment>> PostAsync(Guid loanId, DateOnly valueDate, decimal amount)
    {
        await using var scope = await ActingAs.UserAsync(App.Services, "finance");
        await using var db = Sql.Db();
        var version = (await db.Loans.AsNoTracking().SingleAsync(l => l.Id == loanId)).Version;
        return await scope.Get<LoanServicing>().PostRepaymentAsync(loanId, valueDate, amount, "BankTransfer", "AG-" + Guid.NewGuid().ToString("N")[..12], version);
    }
}
