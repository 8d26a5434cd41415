using System.Text.Json;
using LoanOffice.Data;
using LoanOffice.Data.Origination;
using LoanOffice.Data.Servicing;
using LoanOffice.Domain.Applications;
using LoanOffice.Domain.Common;
using LoanOffice.Domain.Loans;
using LoanOffice.Domain.Organisation;
using LoanOffice.Web.Components.Shared;
using LoanOffice.Web.Features.Applications;
using Microsoft.EntityFrameworkCore;

namespace LoanOffice.Web.Features.Servicing;

public sealed record PayoffQuote(DateOnly Date, decimal Penalty, decimal Compound, decimal OverdueAndDue, decimal InterestForDays, int Days, decimal PrincipalNotYetDue)
{
    public decimal Total => Penalty + Compound + OverdueAndDue + InterestForDays + PrincipalNotYetDue;
}

public sealed record PostedPayment(Guid TransactionId, Allocation Allocation, bool Settled);

/// <summary>
/// Repayments (收回) on a loan: posting, prepayment, reversal, back-dating and payoff quotes. Every change re-applies
/// the loan's payments in value-date order from its starting position through <see cref="LoanLedger"/> (so a
/// back-dated payment or a reversal recomputes the loan from that date on, accruals included), under a row lock on
/// the loan (the nightly close skips it meanwhile) and the version the user saw (optimistic concurrency on xmin).
/// Finance posts; only the loan's scope may read it.
/// </summary>
public sealed class LoanServicing(OriginationContext context)
{
    public static readonly string[] Channels = ["BankTransfer", "Cash", "WeChatPay", "Alipay", "AutoDebit"];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static Error ReferenceTaken => Error.ForField("reference", "This external reference was already posted: a payment is never posted twice.");


    public DateOnly Today => DateOnly.FromDateTime(Fmt.ToChina(context.Now).DateTime);

    /// <summary>The latest value date a payment can take: today, and not past the loan's open business date (the day after its last close).</summary>
    public DateOnly LatestValueDate(Loan loan) => new[] { Today, loan.ClosedThrough.AddDays(1) }.Min();

    public async Task<Result<PostedPayment>> PostRepaymentAsync(Guid loanId, DateOnly valueDate, decimal amount, string? channel, string? reference, uint version)
    {
        if (Validate(channel, reference) is { } invalid) return invalid;
        Guid id = Guid.Empty;
        var outcome = await CommandAsync(loanId, version, Roles.Finance, async (db, loan, actor, ledger) =>
        {
            if (valueDate > LatestValueDate(loan))
                return Error.ForField("date", $"The value date can be at most {Fmt.Date(LatestValueDate(loan))}: today, and the day after the last close of business for this loan ({Fmt.Date(loan.ClosedThrough)}).");
            if (valueDate <= ledger.Start.Date)
                return Error.ForField("date", $"The value date must be after {Fmt.Date(ledger.Start.Date)} ({(ledger.Prepayment is null ? "the disbursement" : "the last prepayment")}).");
            if (await db.LoanTransactions.AnyAsync(t => t.ExternalReference == reference!.Trim())) return ReferenceTaken;
            var tx = new LoanTransaction
            {
                Id = Guid.CreateVersion7(), LoanId = loan.Id, Kind = TransactionKind.Repayment, ValueDate = valueDate, Amount = amount,
                Channel = channel!, ExternalReference = reference!.Trim(), PostedBy = actor.UserId, PostedByName = actor.Name, PostedAt = context.Now,
            };
            db.LoanTransactions.Add(tx);
            id = tx.Id;
            return await RecomputeAsync(db, loan, ledger, [.. ledger.Payments, tx], valueDate, actor);
        });
        if (!outcome.IsSuccess) return outcome.Error!;
        return new PostedPayment(id, outcome.Value!.Allocations[id], outcome.Value.State.IsSettled);
    }

    public async Task<Result> ReverseAsync(Guid loanId, Guid transactionId, string? reason, uint version)
    {
        if (string.IsNullOrWhiteSpace(reason)) return Error.ForField("reason", "Give the reason for the reversal.");
        var outcome = await CommandAsync(loanId, version, Roles.Finance, async (db, loan, actor, ledger) =>
        {
            var tx = await db.LoanTransactions.SingleOrDefaultAsync(t => t.Id == transactionId && t.LoanId == loan.Id);
            if (tx is null) return Error.NotFound("The payment");
            if (tx.ReversedAt is not null) return new Error("already_reversed", "This payment was already reversed.");
            if (tx.Kind == TransactionKind.Prepayment)
                return new Error("prepayment_not_reversible", "A prepayment replaced the schedule and cannot be reversed here; post a correcting entry with the back office.");
            if (ledger.Prepayment is { } p && tx.ValueDate <= p.ValueDate)
                return new Error("before_prepayment", $"This payment lies before the prepayment of {Fmt.Date(p.ValueDate)}, which fixed the loan's position; it cannot be reversed any more.");
            tx.ReversedAt = context.Now;
            tx.ReversedBy = actor.UserId;
            tx.ReversalReason = reason.Trim();
            return await RecomputeAsync(db, loan, ledger, ledger.Payments.Where(t => t.Id != tx.Id).ToList(), tx.ValueDate, actor);
        });
        return outcome.IsSuccess ? Result.Success() : outcome.Error!;
    }

    /// <summary>What settles the loan on a date: penalty and compound to that date, everything due, interest by days, the rest of the principal.</summary>
    public async Task<Result<PayoffQuote>> PayoffQuoteAsync(Guid loanId, DateOnly date)
    {
        await using var db = await context.OpenAsync();
        var loan = await db.Loans.AsNoTracking().Include(l => l.Installments).SingleOrDefaultAsync(l => l.Id == loanId);
        if (loan is null) return Error.NotFound("The loan");
        if (!(await context.ScopeAsync()).CanSee(loan.TeamId, loan.OfficerId)) return LoanLock.OutOfScope;
        var ledger = await LoadLedgerAsync(db, loan);
        if (date <= ledger.Start.Date) return Error.ForField("date", $"Choose a date after {Fmt.Date(ledger.Start.Date)}.");
        var replay = LoanLedger.Replay(ledger.Start, ledger.Payments.Where(p => p.ValueDate < date).Select(ToLedger), date.AddDays(-1), loan.PenaltyDailyRate, loan.GraceDays);
        if (!replay.IsSuccess) return replay.Error!;
        var state = replay.Value!.State;
        var due = state.Installments.Where(i => i.DueDate <= date).Sum(i => i.PrincipalOutstanding + i.InterestOutstanding);
        var notDue = state.Installments.Where(i => i.DueDate > date).Sum(i => i.PrincipalOutstanding);
        var lastDue = state.Installments.Where(i => i.DueDate <= date).Select(i => i.DueDate).DefaultIfEmpty(ledger.Start.Date).Max();
        var days = notDue > 0m ? date.DayNumber - lastDue.DayNumber : 0;
        var interest = MoneyRules.RoundToFen(notDue * Rate.FromAnnual(loan.AnnualRate).Daily * days);
        return new PayoffQuote(date, state.PenaltyOutstanding, state.CompoundOutstanding, due, interest, days, notDue);
    }

    /// <summary>The prepayment worked out on the loan's current schedule (nothing is saved).</summary>
    public async Task<Result<PrepaymentQuote>> QuotePrepaymentAsync(Guid loanId, DateOnly date, decimal principal, PrepaymentOption option)
    {
        await using var db = await context.OpenAsync();
        var loan = await db.Loans.AsNoTracking().Include(l => l.Installments).SingleOrDefaultAsync(l => l.Id == loanId);
        if (loan is null) return Error.NotFound("The loan");
        if (!(await context.ScopeAsync()).CanSee(loan.TeamId, loan.OfficerId)) return LoanLock.OutOfScope;
        return QuotePrepayment(loan, date, principal, option);
    }

    public async Task<Result<PrepaymentQuote>> PostPrepaymentAsync(Guid loanId, DateOnly date, decimal principal, PrepaymentOption option, string? channel, string? reference, uint version)
    {
        if (Validate(channel, reference) is { } invalid) return invalid;
        PrepaymentQuote? quote = null;
        var outcome = await CommandAsync(loanId, version, Roles.Finance, async (db, loan, actor, ledger) =>
        {
            if (date != LatestValueDate(loan) || date <= loan.ClosedThrough)
                return Error.ForField("date", $"A prepayment takes the loan's open business date, {Fmt.Date(loan.ClosedThrough.AddDays(1))}, and cannot be back-dated.");
            if (await db.LoanTransactions.AnyAsync(t => t.ExternalReference == reference!.Trim())) return ReferenceTaken;
            var quoted = QuotePrepayment(loan, date, principal, option);
            if (!quoted.IsSuccess) return quoted.Error!;
            quote = quoted.Value!;
            var old = loan.Installments.OrderBy(i => i.Number).ToList();
            db.LoanScheduleVersions.Add(new LoanScheduleVersion
            {
                LoanId = loan.Id, Reason = $"Prepayment {Fmt.Date(date)} ({option})", ReplacedAt = context.Now,
                Installments = JsonSerializer.Serialize(old.Select(i => new { i.Number, i.DueDate, i.Principal, i.Interest, i.PrincipalPaid, i.InterestPaid }), Json),
            });
            var firstReplaced = quote.NewInstallments.Count > 0 ? quote.NewInstallments[0].Number : old.Where(i => i.DueDate > date).Select(i => i.Number).DefaultIfEmpty(int.MaxValue).Min();
            foreach (var line in old.Where(i => i.Number >= firstReplaced)) loan.Installments.Remove(line);
            foreach (var line in quote.NewInstallments)
                loan.Installments.Add(new LoanInstallment { LoanId = loan.Id, Number = line.Number, DueDate = line.DueDate, Principal = line.Principal, Interest = line.Interest });
            var state = new LedgerState(date, loan.Installments.OrderBy(i => i.Number).Select(ToState).ToList(),
                ledger.Start.PenaltyAccrued + await AccruedAsync(db, loan.Id, AccrualKind.Penalty, ledger.Start.Date),
                ledger.Start.CompoundAccrued + await AccruedAsync(db, loan.Id, AccrualKind.Compound, ledger.Start.Date),
                loan.PenaltyPaid, loan.CompoundPaid);
            db.LoanTransactions.Add(new LoanTransaction
            {
                Id = Guid.CreateVersion7(), LoanId = loan.Id, Kind = TransactionKind.Prepayment, ValueDate = date, Amount = quote.TotalToPay,
                PrepaidPrincipal = quote.PrincipalPrepaid, PrepaymentOption = option, Channel = channel!, ExternalReference = reference!.Trim(),
                PostedBy = actor.UserId, PostedByName = actor.Name, PostedAt = context.Now,
                Allocation = JsonSerializer.Serialize(new { interestForDays = quote.InterestForDays, days = quote.DaysSinceLastDueDate, principal = quote.PrincipalPrepaid }, Json),
                StateAfter = JsonSerializer.Serialize(state, Json),
            });
            if (quote.SettlesTheLoan)
            {
                loan.Status = "Settled";
                loan.SettledOn = date;
            }

            return new LedgerResult(state, [], new Dictionary<Guid, Allocation>());
        });
        return outcome.IsSuccess ? quote! : outcome.Error!;
    }

    private static Result<PrepaymentQuote> QuotePrepayment(Loan loan, DateOnly date, decimal principal, PrepaymentOption option)
    {
        var lines = loan.Installments.OrderBy(i => i.Number).ToList();
        var owed = lines.Where(i => i.DueDate <= date).Sum(i => i.Principal - i.PrincipalPaid + i.Interest - i.InterestPaid);
        if (owed > 0m)
            return new Error("not_current", $"{MoneyRules.FormatCny(owed)} is due on or before {Fmt.Date(date)}: post it as a repayment first, a prepayment needs a current loan.");
        var schedule = new RepaymentSchedule(loan.Method, loan.Principal, loan.AnnualRate, loan.Months, loan.DisbursedOn,
            lines.Select(i => new ScheduleLine(i.Number, i.DueDate, i.Principal, i.Interest, i.Principal + i.Interest,
                lines.Where(x => x.Number > i.Number).Sum(x => x.Principal - x.PrincipalPaid))).ToList());
        return Prepayment.Quote(schedule, date, principal, option);
    }

    private static async Task<decimal> AccruedAsync(LoanOfficeDbContext db, Guid loanId, AccrualKind kind, DateOnly after) =>
        await db.LoanAccruals.Where(a => a.LoanId == loanId && a.Kind == kind && a.BusinessDate > after).SumAsync(a => (decimal?)a.Amount) ?? 0m;

    private static Error? Validate(string? channel, string? reference)
    {
        if (string.IsNullOrWhiteSpace(channel) || !Channels.Contains(channel)) return Error.ForField("channel", "Choose the channel the money came through.");
        if (string.IsNullOrWhiteSpace(reference) || reference.Trim().Length > 64) return Error.ForField("reference", "Enter the external reference of the payment (up to 64 characters).");
        return null;
    }

    internal sealed record Ledger(LedgerState Start, LoanTransaction? Prepayment, List<LoanTransaction> Payments);

    /// <summary>The starting position (disbursement, or the last prepayment's) and the live repayments after it.</summary>
    private static async Task<Ledger> LoadLedgerAsync(LoanOfficeDbContext db, Loan loan)
    {
        var transactions = await db.LoanTransactions.Where(t => t.LoanId == loan.Id && t.ReversedAt == null).OrderBy(t => t.ValueDate).ThenBy(t => t.PostedAt).ToListAsync();
        var prepayment = transactions.LastOrDefault(t => t.Kind == TransactionKind.Prepayment);
        var start = prepayment?.StateAfter is { } json
            ? JsonSerializer.Deserialize<LedgerState>(json, Json)!
            : new LedgerState(loan.DisbursedOn, loan.Installments.OrderBy(i => i.Number).Select(i => ToState(i) with { PrincipalPaid = 0m, InterestPaid = 0m }).ToList(), 0m, 0m, 0m, 0m);
        var payments = transactions.Where(t => t.Kind == TransactionKind.Repayment && (prepayment is null || t.PostedAt > prepayment.PostedAt)).ToList();
        return new Ledger(start, prepayment, payments);
    }

    private static InstallmentState ToState(LoanInstallment i) => new(i.Number, i.DueDate, i.Principal, i.Interest, i.PrincipalPaid, i.InterestPaid);

    private static LedgerPayment ToLedger(LoanTransaction t) => new(t.Id, t.ValueDate, t.Amount);

    /// <summary>
    /// Re-applies <paramref name="payments"/> from the ledger's start and writes the result: paid amounts, each
    /// payment's allocation, accruals from <paramref name="changedFrom"/> on, class, collection case, settlement.
    /// </summary>
    private async Task<Result<LedgerResult>> RecomputeAsync(LoanOfficeDbContext db, Loan loan, Ledger ledger, List<LoanTransaction> payments, DateOnly changedFrom, Actor actor)
    {
        var replay = LoanLedger.Replay(ledger.Start, payments.OrderBy(p => p.ValueDate).ThenBy(p => p.PostedAt).Select(ToLedger), loan.ClosedThrough, loan.PenaltyDailyRate, loan.GraceDays);
        if (!replay.IsSuccess) return replay.Error!;
        var result = replay.Value!;
        foreach (var i in result.State.Installments)
        {
            var row = loan.Installments.Single(x => x.Number == i.Number);
            row.PrincipalPaid = i.PrincipalPaid;
            row.InterestPaid = i.InterestPaid;
        }

        loan.PenaltyPaid = result.State.PenaltyPaid;
        loan.CompoundPaid = result.State.CompoundPaid;
        foreach (var p in payments)
            p.Allocation = JsonSerializer.Serialize(result.Allocations[p.Id].Lines.Select(l => new { component = l.Component.ToString(), installment = l.InstallmentNumber, amount = l.Amount }), Json);

        // accruals from the changed date on, as the close would have made them with this payment history
        if (changedFrom <= loan.ClosedThrough)
        {
            await db.LoanAccruals.Where(a => a.LoanId == loan.Id && a.BusinessDate >= changedFrom).ExecuteDeleteAsync();
            foreach (var a in result.Accruals.Where(a => a.Date >= changedFrom))
            {
                if (a.PenaltyBasis > 0m) db.LoanAccruals.Add(new LoanAccrual { LoanId = loan.Id, BusinessDate = a.Date, Kind = AccrualKind.Penalty, Basis = a.PenaltyBasis, Amount = a.Penalty });
                if (a.CompoundBasis > 0m) db.LoanAccruals.Add(new LoanAccrual { LoanId = loan.Id, BusinessDate = a.Date, Kind = AccrualKind.Compound, Basis = a.CompoundBasis, Amount = a.Compound });
            }

            var (dpd, dpdClass) = LoanLedger.Classify(result.State, loan.ClosedThrough, loan.GraceDays);
            var effective = Classification.Effective(dpdClass, loan.ManualClass);
            if (effective != loan.Class)
            {
                db.LoanClassChanges.Add(new LoanClassChange
                {
                    LoanId = loan.Id, BusinessDate = loan.ClosedThrough, DaysPastDue = dpd, FromClass = loan.Class, ToClass = effective,
                    Source = ClassSource.Recompute, Reason = "Recomputed after a back-dated payment or a reversal", Actor = actor.Name, At = context.Now,
                });
            }

            (loan.DaysPastDue, loan.DpdClass, loan.Class) = (dpd, dpdClass, effective);
        }

        // the case closes as soon as the loan is current again
        var latest = new[] { payments.Select(p => p.ValueDate).DefaultIfEmpty(changedFrom).Max(), loan.ClosedThrough }.Max();
        if (LoanLedger.Classify(result.State, latest, loan.GraceDays).DaysPastDue == 0)
        {
            foreach (var open in await db.CollectionCases.Where(c => c.LoanId == loan.Id && c.Status == CaseStatus.Open).ToListAsync())
            {
                open.Status = CaseStatus.Closed;
                open.ClosedOn = latest;
            }
        }

        var settled = result.State.IsSettled;
        loan.Status = settled ? "Settled" : "Active";
        loan.SettledOn = settled ? payments.Select(p => p.ValueDate).DefaultIfEmpty(changedFrom).Max() : null;
        return result;
    }

    /// <summary>Scope and role check, row lock, version check, work, save — one transaction.</summary>
    private async Task<Result<LedgerResult>> CommandAsync(Guid loanId, uint version, string role,
        Func<LoanOfficeDbContext, Loan, Actor, Ledger, Task<Result<LedgerResult>>> work)
    {
        var actor = await context.ActorAsync();
        if (actor is null) return OriginationContext.NotSignedIn;
        if (!actor.Roles.Contains(role)) return Error.Forbidden("Only Finance posts and reverses payments.");
        await using var db = await context.OpenAsync();
        await using var tx = await db.Database.BeginTransactionAsync();
        var locked = await LoanLock.LockAsync(context, db, loanId, version, () => ConflictAsync(db, loanId));
        if (!locked.IsSuccess) return locked.Error!;
        var loan = locked.Value!;
        if (loan.Status != "Active") return new Error("not_active", $"The loan is {loan.Status}: nothing more can be posted.");
        var ledger = await LoadLedgerAsync(db, loan);
        var result = await work(db, loan, actor, ledger);
        if (!result.IsSuccess) return result;
        loan.LastPostedAt = context.Now;
        try
        {
            await db.SaveChangesAsync();
            await tx.CommitAsync();
            return result;
        }
        catch (DbUpdateConcurrencyException)
        {
            return await ConflictAsync(db, loanId);
        }
        catch (DbUpdateException ex) when (ex.InnerException is Npgsql.PostgresException { SqlState: "23505" })
        {
            return ReferenceTaken;
        }
    }

    private static async Task<Error> ConflictAsync(LoanOfficeDbContext db, Guid loanId)
    {
        var last = await db.LoanTransactions.AsNoTracking().Where(t => t.LoanId == loanId).OrderByDescending(t => t.PostedAt)
            .Select(t => new { t.PostedByName, t.PostedAt }).FirstOrDefaultAsync();
        var who = last is null ? "the close of business" : $"{last.PostedByName} at {Fmt.DateTime(last.PostedAt)} (or the close of business)";
        return Error.Conflict($"This loan was changed by {who} since you opened it — reload and try again.");
    }
}
