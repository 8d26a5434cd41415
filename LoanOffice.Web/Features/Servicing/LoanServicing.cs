using LoanOffice.Web.Hosting;
using System.Text.Json;
using LoanOffice.Data;
using LoanOffice.Data.Servicing;
using LoanOffice.Domain.Applications;
using LoanOffice.Domain.Common;
using LoanOffice.Domain.Loans;
using LoanOffice.Domain.Organisation;
using LoanOffice.Web.Components.Shared;
using LoanOffice.Web.Features.Applications;
using Microsoft.EntityFrameworkCore;
using DomainLoan = LoanOffice.Domain.Loans.Loan;
using Loan = LoanOffice.Data.Origination.Loan;
using LoanInstallment = LoanOffice.Data.Origination.LoanInstallment;

namespace LoanOffice.Web.Features.Servicing;

public sealed record PostedPayment(Guid TransactionId, Allocation Allocation, bool Settled);

/// <summary>
/// Repayments (收回) on a loan: posting, prepayment, reversal, back-dating and payoff quotes. The service is thin: it
/// loads the loan's history into the domain's <see cref="DomainLoan"/> aggregate, calls it, and writes back what the
/// aggregate computed (paid amounts, each payment's allocation, accruals from the changed date on, days past due,
/// class, status, collection case) — through the one command pipeline (<see cref="LoanLock"/>: role, row lock, scope,
/// version, save with audit). Finance posts; only the loan's scope may read it.
/// </summary>
public sealed class LoanServicing(ActorContext context)
{
    public static readonly string[] Channels = ["BankTransfer", "Cash", "WeChatPay", "Alipay", "AutoDebit"];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static Error ReferenceTaken => Error.Of(ErrorCodes.ReferenceTaken).At("reference");

    private static Error FinanceOnly => Error.Of(ErrorCodes.FinanceOnly);

    public DateOnly Today => DateOnly.FromDateTime(Fmt.ToChina(context.Now).DateTime);

    /// <summary>The latest value date a payment can take: today, and not past the loan's open business date (the day after its last close).</summary>
    public DateOnly LatestValueDate(Loan loan) => new[] { Today, loan.ClosedThrough.AddDays(1) }.Min();

    public async Task<Result<PostedPayment>> PostRepaymentAsync(Guid loanId, DateOnly valueDate, decimal amount, string? channel, string? reference, uint version)
    {
        if (Validate(channel, reference) is { } invalid) return invalid;
        return await LoanLock.CommandAsync<PostedPayment>(context, loanId, version, [Roles.Finance], FinanceOnly, async (db, loan, actor) =>
        {
            if (!loan.IsOpen) return Error.Of(ErrorCodes.NotActive, loan.Status);
            if (await db.LoanTransactions.AnyAsync(t => t.ExternalReference == reference!.Trim())) return ReferenceTaken;
            var (aggregate, ledger) = await LoadAsync(db, loan);
            var tx = new LoanTransaction
            {
                Id = Guid.CreateVersion7(), LoanId = loan.Id, Kind = TransactionKind.Repayment, ValueDate = valueDate, Amount = amount,
                Channel = channel!, ExternalReference = reference!.Trim(), PostedBy = actor.UserId, PostedByName = actor.Name, PostedAt = context.Now,
            };
            var posted = aggregate.Post(new PaymentEvent(tx.Id, valueDate, amount), LatestValueDate(loan), loan.ClosedThrough);
            if (!posted.IsSuccess) return posted.Error!;
            db.LoanTransactions.Add(tx);
            await WriteBackAsync(db, loan, posted.Value!, [.. ledger, tx], valueDate, actor);
            return new PostedPayment(tx.Id, posted.Value!.Allocations[tx.Id], posted.Value.IsSettled);
        }, ReferenceTaken);
    }

    public async Task<Result> ReverseAsync(Guid loanId, Guid transactionId, string? reason, uint version)
    {
        if (string.IsNullOrWhiteSpace(reason)) return Error.Of(ErrorCodes.ReasonRequired).At("reason");
        var outcome = await LoanLock.CommandAsync<bool>(context, loanId, version, [Roles.Finance], FinanceOnly, async (db, loan, actor) =>
        {
            if (!loan.IsOpen) return Error.Of(ErrorCodes.NotActive, loan.Status);
            var tx = await db.LoanTransactions.SingleOrDefaultAsync(t => t.Id == transactionId && t.LoanId == loan.Id);
            if (tx is null) return Error.Of(ErrorCodes.PaymentNotFound);
            if (tx.ReversedAt is not null) return Error.Of(ErrorCodes.PaymentAlreadyReversed);
            if (tx.Kind == TransactionKind.Prepayment) return Error.Of(ErrorCodes.PrepaymentNotReversible);
            var (aggregate, ledger) = await LoadAsync(db, loan);
            if (ledger.All(t => t.Id != tx.Id)) return Error.Of(ErrorCodes.BeforePrepayment, aggregate.Start.Date);
            var reversed = aggregate.Reverse(tx.Id, LatestValueDate(loan), loan.ClosedThrough);
            if (!reversed.IsSuccess) return reversed.Error!;
            tx.ReversedAt = context.Now;
            tx.ReversedBy = actor.UserId;
            tx.ReversalReason = reason.Trim();
            tx.Allocation = "[]";
            await WriteBackAsync(db, loan, reversed.Value!, ledger.Where(t => t.Id != tx.Id).ToList(), tx.ValueDate, actor);
            return true;
        });
        return outcome.IsSuccess ? Result.Success() : outcome.Error!;
    }

    /// <summary>
    /// What settles the loan by a payment on a date (the domain's <see cref="DomainLoan.PayoffOn"/>): every payment posted
    /// up to it counts; penalty and compound through the day before, projected past the last close when the date is later.
    /// </summary>
    public async Task<Result<Payoff>> PayoffQuoteAsync(Guid loanId, DateOnly date)
    {
        await using var db = await context.OpenAsync();
        var read = await LoanLock.ReadAsync(context, db, loanId);
        if (!read.IsSuccess) return read.Error!;
        var (aggregate, _) = await LoadAsync(db, read.Value!);
        return aggregate.PayoffOn(date);
    }

    /// <summary>The prepayment worked out on the loan's current position (nothing is saved).</summary>
    public async Task<Result<PrepaymentQuote>> QuotePrepaymentAsync(Guid loanId, DateOnly date, decimal principal, PrepaymentOption option)
    {
        await using var db = await context.OpenAsync();
        var read = await LoanLock.ReadAsync(context, db, loanId);
        if (!read.IsSuccess) return read.Error!;
        var (aggregate, _) = await LoadAsync(db, read.Value!);
        var prepaid = aggregate.Prepay(new PrepaymentEvent(Guid.NewGuid(), date, principal, option), read.Value!.ClosedThrough);
        return prepaid.IsSuccess ? prepaid.Value!.Prepayments.Values.Single() : prepaid.Error!;
    }

    public async Task<Result<PrepaymentQuote>> PostPrepaymentAsync(Guid loanId, DateOnly date, decimal principal, PrepaymentOption option, string? channel, string? reference, uint version)
    {
        if (Validate(channel, reference) is { } invalid) return invalid;
        return await LoanLock.CommandAsync<PrepaymentQuote>(context, loanId, version, [Roles.Finance], FinanceOnly, async (db, loan, actor) =>
        {
            if (!loan.IsOpen) return Error.Of(ErrorCodes.NotActive, loan.Status);
            if (date != LatestValueDate(loan) || date <= loan.ClosedThrough) return Error.Of(ErrorCodes.PrepaymentDate, loan.ClosedThrough.AddDays(1)).At("date");
            if (await db.LoanTransactions.AnyAsync(t => t.ExternalReference == reference!.Trim())) return ReferenceTaken;
            var (aggregate, ledger) = await LoadAsync(db, loan);
            var id = Guid.CreateVersion7();
            var prepaid = aggregate.Prepay(new PrepaymentEvent(id, date, principal, option), loan.ClosedThrough);
            if (!prepaid.IsSuccess) return prepaid.Error!;
            var position = prepaid.Value!;
            var quote = position.Prepayments[id];
            var old = loan.Installments.OrderBy(i => i.Number).ToList();
            db.LoanScheduleVersions.Add(new LoanScheduleVersion
            {
                LoanId = loan.Id, Reason = $"Prepayment {Fmt.Date(date)} ({option})", ReplacedAt = context.Now,
                Installments = JsonSerializer.Serialize(old.Select(i => new { i.Number, i.DueDate, i.Principal, i.Interest, i.PrincipalPaid, i.InterestPaid }), Json),
            });
            // the aggregate's installments after the prepayment replace the stored ones
            var after = position.State.Installments.ToDictionary(i => i.Number);
            foreach (var line in old.Where(i => !after.ContainsKey(i.Number) || after[i.Number].Principal != i.Principal || after[i.Number].Interest != i.Interest || after[i.Number].DueDate != i.DueDate))
                loan.Installments.Remove(line);
            foreach (var line in after.Values.Where(a => loan.Installments.All(i => i.Number != a.Number)))
                loan.Installments.Add(new LoanInstallment { LoanId = loan.Id, Number = line.Number, DueDate = line.DueDate, Principal = line.Principal, Interest = line.Interest });
            var tx = new LoanTransaction
            {
                Id = id, LoanId = loan.Id, Kind = TransactionKind.Prepayment, ValueDate = date, Amount = quote.TotalToPay,
                PrepaidPrincipal = quote.PrincipalPrepaid, PrepaymentOption = option, Channel = channel!, ExternalReference = reference!.Trim(),
                PostedBy = actor.UserId, PostedByName = actor.Name, PostedAt = context.Now,
                Allocation = JsonSerializer.Serialize(new { interestForDays = quote.InterestForDays, days = quote.DaysSinceLastDueDate, principal = quote.PrincipalPrepaid }, Json),
                // later payments are re-applied from the position right after the prepayment
                StateAfter = JsonSerializer.Serialize(position.State with { Date = date }, Json),
            };
            db.LoanTransactions.Add(tx);
            await WriteBackAsync(db, loan, position, ledger, date, actor);
            return quote;
        }, ReferenceTaken);
    }

    private static Error? Validate(string? channel, string? reference)
    {
        if (string.IsNullOrWhiteSpace(channel) || !Channels.Contains(channel)) return Error.Of(ErrorCodes.ChannelRequired).At("channel");
        if (string.IsNullOrWhiteSpace(reference) || reference.Trim().Length > 64) return Error.Of(ErrorCodes.ReferenceRequired).At("reference");
        return null;
    }

    /// <summary>
    /// The loan as the domain replays it: its terms, the starting position (the disbursement, or the position right
    /// after the last prepayment) and the live repayments after it, in value-date and posting order.
    /// </summary>
    internal static async Task<(DomainLoan Loan, List<LoanTransaction> Payments)> LoadAsync(LoanOfficeDbContext db, Loan loan)
    {
        var transactions = await db.LoanTransactions.Where(t => t.LoanId == loan.Id && t.ReversedAt == null).OrderBy(t => t.ValueDate).ThenBy(t => t.PostedAt).ToListAsync();
        var prepayment = transactions.LastOrDefault(t => t.Kind == TransactionKind.Prepayment);
        var start = prepayment?.StateAfter is { } json
            ? JsonSerializer.Deserialize<LedgerState>(json, Json)!
            : new LedgerState(loan.DisbursedOn, loan.Installments.OrderBy(i => i.Number).Select(i => new InstallmentState(i.Number, i.DueDate, i.Principal, i.Interest, 0m, 0m)).ToList(), 0m, 0m, 0m, 0m);
        var payments = transactions.Where(t => t.Kind == TransactionKind.Repayment && (prepayment is null || t.PostedAt > prepayment.PostedAt)).ToList();
        var aggregate = DomainLoan.Resume(loan.Terms, start, loan.ManualClass, payments.Select(t => new PaymentEvent(t.Id, t.ValueDate, t.Amount)));
        return (aggregate, payments);
    }

    /// <summary>
    /// Writes what the aggregate computed: paid amounts, each payment's allocation, accruals from
    /// <paramref name="changedFrom"/> on (as the close would have made them with this history), days past due, class,
    /// status, settlement and the collection case.
    /// </summary>
    private async Task WriteBackAsync(LoanOfficeDbContext db, Loan loan, LoanPosition position, List<LoanTransaction> payments, DateOnly changedFrom, Actor actor)
    {
        var state = position.State;
        foreach (var i in state.Installments)
        {
            var row = loan.Installments.Single(x => x.Number == i.Number);
            row.PrincipalPaid = i.PrincipalPaid;
            row.InterestPaid = i.InterestPaid;
        }

        loan.PenaltyPaid = state.PenaltyPaid;
        loan.CompoundPaid = state.CompoundPaid;
        foreach (var p in payments.Where(p => position.Allocations.ContainsKey(p.Id)))
            p.Allocation = JsonSerializer.Serialize(position.Allocations[p.Id].Lines.Select(l => new { component = l.Component.ToString(), installment = l.InstallmentNumber, amount = l.Amount }), Json);

        if (changedFrom <= loan.ClosedThrough)
        {
            await db.LoanAccruals.Where(a => a.LoanId == loan.Id && a.BusinessDate >= changedFrom).ExecuteDeleteAsync();
            foreach (var a in position.Accruals.Where(a => a.Date >= changedFrom))
            {
                if (a.PenaltyBasis > 0m) db.LoanAccruals.Add(new LoanAccrual { LoanId = loan.Id, BusinessDate = a.Date, Kind = AccrualKind.Penalty, Basis = a.PenaltyBasis, Amount = a.Penalty });
                if (a.CompoundBasis > 0m) db.LoanAccruals.Add(new LoanAccrual { LoanId = loan.Id, BusinessDate = a.Date, Kind = AccrualKind.Compound, Basis = a.CompoundBasis, Amount = a.Compound });
            }
        }

        var effective = position.Class;
        if (effective != loan.Class)
        {
            db.LoanClassChanges.Add(new LoanClassChange
            {
                LoanId = loan.Id, BusinessDate = loan.ClosedThrough, DaysPastDue = position.DaysPastDue, FromClass = loan.Class, ToClass = effective,
                Source = ClassSource.Recompute, Reason = null, Actor = actor.Name, At = context.Now,
            });
        }

        (loan.DaysPastDue, loan.DpdClass, loan.Class) = (position.DaysPastDue, position.DpdClass, effective);

        // the case closes as soon as the loan is current again
        if (!Domain.Loans.CollectionCase.ShouldBeOpen(position.DaysPastDue))
        {
            var on = new[] { payments.Select(p => p.ValueDate).DefaultIfEmpty(changedFrom).Max(), loan.ClosedThrough }.Max();
            foreach (var open in await db.CollectionCases.Where(c => c.LoanId == loan.Id && c.Status == CaseStatus.Open).ToListAsync())
            {
                var @case = open.ToDomain();
                if (@case.CloseWhenCurrent(position.DaysPastDue, on)) open.Apply(@case);
            }
        }

        loan.Status = position.Status;
        loan.SettledOn = position.SettledOn;
        loan.LastPostedAt = context.Now;
        loan.ScheduleNextClose();
    }
}
