using LoanOffice.Domain.Common;

namespace LoanOffice.Domain.Loans;

/// <summary>Where a loan stands: the status chip and every list filter use this one value.</summary>
public enum LoanStatus
{
    /// <summary>正常还款中: nothing overdue.</summary>
    Active,
    /// <summary>逾期: an installment is past its due date plus grace (DPD &gt; 0).</summary>
    Overdue,
    /// <summary>已结清: every installment, penalty and compound interest paid.</summary>
    Settled,
    /// <summary>已核销 (reserved for write-offs).</summary>
    WrittenOff,
}

/// <summary>The terms a loan is disbursed on, snapshotted from its contract (editing a product never changes them).</summary>
public sealed record LoanTerms(RepaymentMethod Method, decimal Principal, decimal AnnualRate, int Months, DateOnly DisbursedOn,
    decimal PenaltyMarkup, int GraceDays)
{
    /// <summary>annual × (1 + markup), exact; one day's penalty is basis × this ÷ 360.</summary>
    public decimal PenaltyAnnualRate => OverdueAccrual.PenaltyAnnualRate(AnnualRate, PenaltyMarkup);
}

/// <summary>Something that happened to a loan on a business date; a loan's position is the replay of these.</summary>
public abstract record LoanEvent(Guid Id, DateOnly Date);

/// <summary>A repayment (还款), allocated 先罚息, 后利息, 再本金.</summary>
public sealed record PaymentEvent(Guid Id, DateOnly Date, decimal Amount) : LoanEvent(Id, Date);

/// <summary>A prepayment (提前还款): interest by days since the last due date plus principal, then a new schedule.</summary>
public sealed record PrepaymentEvent(Guid Id, DateOnly Date, decimal Principal, PrepaymentOption Option) : LoanEvent(Id, Date);

/// <summary>A manual five-level class set by the risk department: worse than DPD gives, never better.</summary>
public sealed record ManualClassEvent(Guid Id, DateOnly Date, LoanClass Class) : LoanEvent(Id, Date);

/// <summary>
/// A loan's position after replaying its history through a date: installments with what is paid on them, accrued and
/// paid penalty and compound interest, where each payment went, days past due, class and status.
/// </summary>
public sealed record LoanPosition(
    LedgerState State,
    IReadOnlyList<LedgerAccrual> Accruals,
    IReadOnlyDictionary<Guid, Allocation> Allocations,
    IReadOnlyDictionary<Guid, PrepaymentQuote> Prepayments,
    DateOnly ClassifiedOn,
    int DaysPastDue,
    LoanClass DpdClass,
    LoanClass? ManualClass,
    DateOnly? SettledOn)
{
    /// <summary>The class in force: the DPD class or a worse manual one.</summary>
    public LoanClass Class => Classification.Effective(DpdClass, ManualClass);

    public bool IsSettled => State.IsSettled;

    public LoanStatus Status => IsSettled ? LoanStatus.Settled : DaysPastDue > 0 ? LoanStatus.Overdue : LoanStatus.Active;
}

/// <summary>What settles a loan on a date, by component.</summary>
public sealed record Payoff(DateOnly Date, decimal Penalty, decimal Compound, decimal OverdueAndDue, decimal InterestForDays, int Days,
    decimal PrincipalNotYetDue, decimal Principal, decimal Interest)
{
    public decimal Total => Penalty + Compound + Principal + Interest;
}

/// <summary>
/// The loan aggregate (贷款): its terms, the position its history starts from (the disbursement, or a stored
/// snapshot) and its history (payments, prepayments, manual classes). Every figure is the replay of that history, day by
/// day, exactly as the nightly close accrues it — so a back-dated payment or a reversal recomputes the loan from that
/// date on, and the what-if simulator, the loan page, the payoff quote and the close agree to the fen.
/// Commands (post, reverse, prepay, reclassify) change the history and are refused, leaving it unchanged, when the
/// replay would not hold.
/// </summary>
public sealed class Loan
{
    private readonly List<LoanEvent> _history;

    private Loan(LoanTerms terms, LedgerState start, LoanClass? startManualClass, IEnumerable<LoanEvent> history)
    {
        Terms = terms;
        Start = start;
        StartManualClass = startManualClass;
        _history = [.. history];
    }

    public LoanTerms Terms { get; }

    /// <summary>The position the history is replayed from: the disbursement, or the state right after a stored prepayment.</summary>
    public LedgerState Start { get; }

    public LoanClass? StartManualClass { get; }

    public IReadOnlyList<LoanEvent> History => _history;

    public Rate Rate => Rate.FromAnnual(Terms.AnnualRate);

    /// <summary>放款: the schedule from the domain engine; the first business date is the disbursement date.</summary>
    public static Result<Loan> Disburse(LoanTerms terms)
    {
        if (terms.PenaltyMarkup < 0m) return Error.Of(ErrorCodes.PenaltyMarkupNegative).At("penaltyMarkup");
        if (terms.GraceDays is < 0 or > 90) return Error.Of(ErrorCodes.GraceDaysRange, 0, 90).At("graceDays");
        var schedule = ScheduleCalculator.Build(terms.Method, terms.Principal, terms.AnnualRate, terms.Months, terms.DisbursedOn);
        if (!schedule.IsSuccess) return schedule.Error!;
        return new Loan(terms, StartOf(schedule.Value!), null, []);
    }

    /// <summary>A loan as stored: its starting position, the manual class in force then, and its live history.</summary>
    public static Loan Resume(LoanTerms terms, LedgerState start, LoanClass? startManualClass, IEnumerable<LoanEvent> history) =>
        new(terms, start, startManualClass, history);

    /// <summary>The disbursement position of a schedule: nothing paid, nothing accrued.</summary>
    public static LedgerState StartOf(RepaymentSchedule schedule) =>
        new(schedule.StartDate, schedule.Installments.Select(l => new InstallmentState(l.Number, l.DueDate, l.Principal, l.Interest, 0m, 0m)).ToList(), 0m, 0m, 0m, 0m);

    /// <summary>
    /// Replays the history through <paramref name="asOf"/> (events after it are ignored), accruing penalty and compound
    /// interest for every day after the start up to <paramref name="accrueThrough"/> (default: <paramref name="asOf"/>)
    /// and classifying on that day. Each day's events are applied before the day's accrual, as the close does.
    /// </summary>
    public Result<LoanPosition> PositionAt(DateOnly asOf, DateOnly? accrueThrough = null)
    {
        var through = accrueThrough is { } t && t < asOf ? t : asOf;
        if (_history.FirstOrDefault(e => e.Date < Start.Date) is { } early)
            return Error.Of(ErrorCodes.DateBeforeStart, Start.Date).At("date").About(early.Id);

        var installments = Start.Installments.ToDictionary(i => i.Number);
        decimal penaltyAccrued = Start.PenaltyAccrued, compoundAccrued = Start.CompoundAccrued, penaltyPaid = Start.PenaltyPaid, compoundPaid = Start.CompoundPaid;
        var manual = StartManualClass;
        var accruals = new List<LedgerAccrual>();
        var allocations = new Dictionary<Guid, Allocation>();
        var prepayments = new Dictionary<Guid, PrepaymentQuote>();
        DateOnly? settledOn = null;
        var byDate = _history.Where(e => e.Date <= asOf).ToLookup(e => e.Date);
        var eventDates = byDate.Select(g => g.Key).Order().ToArray();
        var nextEvent = 0;
        // the overdue basis holds from one change to the next: an event, or an installment passing its due date + grace
        var basisKnown = false;
        decimal principalBasis = 0m, interestBasis = 0m;
        var basisThrough = DateOnly.MaxValue;

        LoanBalance BalanceNow() => new(installments.Values.OrderBy(i => i.Number).Select(i => i.Balance).ToList(),
            OverdueAccrual.Outstanding(penaltyAccrued, penaltyPaid), OverdueAccrual.Outstanding(compoundAccrued, compoundPaid), Terms.GraceDays);

        bool Settled() => installments.Values.All(i => i.PrincipalOutstanding + i.InterestOutstanding <= 0m)
                          && OverdueAccrual.Outstanding(penaltyAccrued, penaltyPaid) <= 0m && OverdueAccrual.Outstanding(compoundAccrued, compoundPaid) <= 0m;

        for (var d = Start.Date; d <= asOf; d = d.AddDays(1))
        {
            var hasEvents = nextEvent < eventDates.Length && eventDates[nextEvent] == d;
            if (hasEvents)
            {
                nextEvent++;
                basisKnown = false;
            }

            foreach (var e in hasEvents ? byDate[d] : [])
            {
                if (settledOn is not null && e is not ManualClassEvent)
                    return Error.Of(ErrorCodes.LoanSettled, settledOn.Value).At("date").About(e.Id);
                switch (e)
                {
                    case PaymentEvent p:
                    {
                        var allocation = PaymentAllocator.Allocate(BalanceNow(), d, p.Amount);
                        if (!allocation.IsSuccess) return allocation.Error!.About(p.Id);
                        foreach (var line in allocation.Value!.Lines)
                        {
                            switch (line.Component)
                            {
                                case AllocationComponent.Penalty: penaltyPaid += line.Amount; break;
                                case AllocationComponent.Compound: compoundPaid += line.Amount; break;
                                case AllocationComponent.OverdueInterest or AllocationComponent.CurrentInterest:
                                    installments[line.InstallmentNumber!.Value] = installments[line.InstallmentNumber.Value] with { InterestPaid = installments[line.InstallmentNumber.Value].InterestPaid + line.Amount };
                                    break;
                                default:
                                    installments[line.InstallmentNumber!.Value] = installments[line.InstallmentNumber.Value] with { PrincipalPaid = installments[line.InstallmentNumber.Value].PrincipalPaid + line.Amount };
                                    break;
                            }
                        }

                        allocations[p.Id] = allocation.Value;
                        break;
                    }
                    case PrepaymentEvent p:
                    {
                        var balance = BalanceNow();
                        var owed = balance.PenaltyOutstanding + balance.CompoundOutstanding
                                   + installments.Values.Where(i => i.DueDate <= d).Sum(i => i.PrincipalOutstanding + i.InterestOutstanding);
                        if (owed > 0m) return Error.Of(ErrorCodes.PrepaymentNotCurrent, owed, d).At("date").About(p.Id);
                        var quote = Prepayment.Quote(ScheduleOf(installments.Values), d, p.Principal, p.Option, InterestFrom(prepayments.Values));
                        if (!quote.IsSuccess) return quote.Error!.About(p.Id);
                        var q = quote.Value!;
                        var firstReplaced = q.NewInstallments.Count > 0 ? q.NewInstallments[0].Number
                            : installments.Values.Where(i => i.DueDate > d).Select(i => i.Number).DefaultIfEmpty(int.MaxValue).Min();
                        foreach (var number in installments.Keys.Where(n => n >= firstReplaced).ToList()) installments.Remove(number);
                        foreach (var line in q.NewInstallments)
                            installments[line.Number] = new InstallmentState(line.Number, line.DueDate, line.Principal, line.Interest, 0m, 0m);
                        prepayments[p.Id] = q;
                        break;
                    }
                    case ManualClassEvent m:
                    {
                        var dpdClass = Classification.FromDaysPastDue(OverdueAccrual.DaysPastDue(installments.Values.Select(i => i.Balance), d, Terms.GraceDays));
                        if (m.Class < dpdClass) return Error.Of(ErrorCodes.ClassBetterThanDpd, dpdClass).At("class").About(m.Id);
                        manual = m.Class > dpdClass ? m.Class : null; // the DPD class itself lifts a manual one
                        break;
                    }
                }

                if (settledOn is null && e is not ManualClassEvent && Settled()) settledOn = d;
            }

            var nextEventDate = nextEvent < eventDates.Length ? eventDates[nextEvent] : DateOnly.MaxValue;
            if (d > through || settledOn is not null)
            {
                // nothing accrues any more: only the remaining events matter
                if (nextEventDate > asOf) break;
                d = nextEventDate.AddDays(-1);
                continue;
            }

            if (d <= Start.Date) continue;
            if (!basisKnown || d > basisThrough)
            {
                principalBasis = interestBasis = 0m;
                basisThrough = DateOnly.MaxValue;
                foreach (var i in installments.Values)
                {
                    if (i.PrincipalOutstanding + i.InterestOutstanding <= 0m) continue;
                    if (PaymentAllocator.IsOverdue(i.Balance, d, Terms.GraceDays))
                    {
                        principalBasis += i.PrincipalOutstanding;
                        interestBasis += i.InterestOutstanding;
                    }
                    else if (i.DueDate.AddDays(Terms.GraceDays) is var lastCurrent && lastCurrent < basisThrough)
                    {
                        basisThrough = lastCurrent;
                    }
                }

                basisKnown = true;
            }

            if (principalBasis <= 0m && interestBasis <= 0m)
            {
                // nothing overdue until the next event or the next installment passing its grace: jump there
                var next = basisThrough == DateOnly.MaxValue ? nextEventDate : Min(nextEventDate, basisThrough.AddDays(1));
                if (next > asOf) break;
                d = next.AddDays(-1);
                continue;
            }

            var day = OverdueAccrual.AtRate(d, principalBasis, interestBasis, Terms.PenaltyAnnualRate);
            accruals.Add(new LedgerAccrual(d, principalBasis, day.Penalty, interestBasis, day.Compound));
            penaltyAccrued += day.Penalty;
            compoundAccrued += day.Compound;
        }

        var positionDate = through < Start.Date ? Start.Date : through;
        var state = new LedgerState(positionDate, installments.Values.OrderBy(i => i.Number).ToList(), penaltyAccrued, compoundAccrued, penaltyPaid, compoundPaid);
        var dpd = settledOn is null ? OverdueAccrual.DaysPastDue(state.Installments.Select(i => i.Balance), positionDate, Terms.GraceDays) : 0;
        return new LoanPosition(state, accruals, allocations, prepayments, positionDate, dpd, Classification.FromDaysPastDue(dpd), manual, settledOn);
    }

    /// <summary>
    /// What settles the loan by a payment on <paramref name="date"/>: every payment up to that date counted, penalty and
    /// compound accrued through the day before (a payment on a date is applied before that day's accrual), everything
    /// due, interest by actual days since the last due date on the principal not yet due, and that principal.
    /// </summary>
    public Result<Payoff> PayoffOn(DateOnly date, DateOnly? accrueThrough = null)
    {
        if (date < Start.Date) return Error.Of(ErrorCodes.DateBeforeStart, Start.Date).At("date");
        var through = date.AddDays(-1);
        var position = PositionAt(date, accrueThrough is { } t && t < through ? t : through);
        if (!position.IsSuccess) return position.Error!;
        return PayoffOf(position.Value!, date);
    }

    /// <summary>The date interest was last settled to: the start (disbursement or a stored prepayment) or a later prepayment.</summary>
    private DateOnly InterestFrom(IEnumerable<PrepaymentQuote> prepayments) =>
        prepayments.Select(q => q.Date).DefaultIfEmpty(Start.Date).Max() is var d && d > Start.Date ? d : Start.Date;

    /// <summary>
    /// The payoff of a position on a date (see <see cref="PayoffOn"/>): interest by days on the principal not yet due
    /// (principal paid ahead counted until the day it was paid), less interest already paid on those installments.
    /// </summary>
    public Payoff PayoffOf(LoanPosition position, DateOnly date)
    {
        var state = position.State;
        var due = state.Installments.Where(i => i.DueDate <= date).ToList();
        var notDue = state.Installments.Where(i => i.DueDate > date).ToList();
        var overdueAndDue = due.Sum(i => i.PrincipalOutstanding + i.InterestOutstanding);
        var principalNotDue = notDue.Sum(i => i.PrincipalOutstanding);
        var lastDue = state.Installments.Where(i => i.DueDate <= date && i.Number > 0).Select(i => i.DueDate).DefaultIfEmpty(Start.Date).Max();
        var settledTo = InterestFrom(position.Prepayments.Values.Where(q => q.Date <= date));
        if (lastDue < settledTo) lastDue = settledTo;
        var days = principalNotDue > 0m ? date.DayNumber - lastDue.DayNumber : 0;
        // principal paid ahead after the last due date was owed until the day it was paid: its days count too
        var notDueNumbers = notDue.Select(i => i.Number).ToHashSet();
        var exact = Rate.ForDays(principalNotDue, days);
        foreach (var e in _history.OfType<PaymentEvent>().Where(e => e.Date > lastDue && e.Date <= date))
        {
            if (!position.Allocations.TryGetValue(e.Id, out var allocation)) continue;
            var ahead = allocation.Lines.Where(l => l.Component == AllocationComponent.CurrentPrincipal && l.InstallmentNumber is { } n && notDueNumbers.Contains(n)).Sum(l => l.Amount);
            exact += Rate.ForDays(ahead, e.Date.DayNumber - lastDue.DayNumber);
        }

        var interestForDays = MoneyRules.RoundToFen(exact);
        // interest paid ahead on an installment not yet due is part of what the days' interest asks
        var interestNet = interestForDays - notDue.Sum(i => i.InterestPaid);
        var principal = due.Sum(i => i.PrincipalOutstanding) + principalNotDue;
        var interest = due.Sum(i => i.InterestOutstanding) + interestNet;
        if (interest < 0m)
        {
            principal += interest; // a credit beyond the days' interest reduces the principal still owed
            interest = 0m;
        }

        return new Payoff(date, state.PenaltyOutstanding, state.CompoundOutstanding, overdueAndDue, interestForDays, days, principalNotDue,
            principal, interest);
    }

    /// <summary>还款: adds the payment to the history if the replay accepts it (value date from the start to <paramref name="latest"/>).</summary>
    public Result<LoanPosition> Post(PaymentEvent payment, DateOnly latest, DateOnly accrueThrough)
    {
        if (payment.Date < Start.Date) return Error.Of(ErrorCodes.ValueDateBeforeStart, Start.Date).At("date");
        if (payment.Date > latest) return Error.Of(ErrorCodes.ValueDateAfterLatest, latest).At("date");
        return Try(() => _history.Add(payment), () => _history.Remove(payment), latest, accrueThrough);
    }

    /// <summary>冲正: takes a payment out of the history; the loan is recomputed from its value date on.</summary>
    public Result<LoanPosition> Reverse(Guid paymentId, DateOnly asOf, DateOnly accrueThrough)
    {
        var index = _history.FindIndex(e => e.Id == paymentId);
        if (index < 0) return Error.Of(ErrorCodes.PaymentNotFound);
        var payment = _history[index];
        if (payment is not PaymentEvent) return Error.Of(ErrorCodes.PrepaymentNotReversible);
        return Try(() => _history.RemoveAt(index), () => _history.Insert(index, payment), asOf, accrueThrough);
    }

    /// <summary>提前还款 on <paramref name="payment"/>'s date (the loan's open business date).</summary>
    public Result<LoanPosition> Prepay(PrepaymentEvent payment, DateOnly accrueThrough)
    {
        if (payment.Date < Start.Date) return Error.Of(ErrorCodes.ValueDateBeforeStart, Start.Date).At("date");
        return Try(() => _history.Add(payment), () => _history.Remove(payment), payment.Date, accrueThrough);
    }

    /// <summary>
    /// An extension (展期) of the loan as it stands after its last close: the installments not yet due are replaced
    /// by a schedule to the new maturity from the next business day (<see cref="Extension.Plan"/>); what is overdue stays.
    /// </summary>
    public Result<ExtensionPlan> Extend(DateOnly newMaturity, DateOnly closedThrough)
    {
        var position = PositionAt(closedThrough, closedThrough);
        if (!position.IsSuccess) return position.Error!;
        return Extension.Plan(new ExtensionTerms(Terms.Method, Terms.AnnualRate, Terms.DisbursedOn, Terms.Months),
            position.Value!.State.Installments, closedThrough.AddDays(1), newMaturity);
    }

    /// <summary>Manual class (worse than DPD gives only).</summary>
    public Result<LoanPosition> Reclassify(ManualClassEvent change, DateOnly accrueThrough) =>
        Try(() => _history.Add(change), () => _history.Remove(change), change.Date, accrueThrough);

    private Result<LoanPosition> Try(Action change, Action undo, DateOnly asOf, DateOnly accrueThrough)
    {
        change();
        var position = PositionAt(asOf, accrueThrough);
        if (!position.IsSuccess) undo();
        return position;
    }

    private static DateOnly Min(DateOnly a, DateOnly b) => a < b ? a : b;

    /// <summary>The loan's current installments as a schedule (the balance after each line from what is still owed).</summary>
    private RepaymentSchedule ScheduleOf(IEnumerable<InstallmentState> installments)
    {
        var lines = installments.OrderBy(i => i.Number).ToList();
        return new RepaymentSchedule(Terms.Method, lines.Sum(i => i.PrincipalOutstanding), Terms.AnnualRate, Terms.Months, Terms.DisbursedOn,
            lines.Select(i => new ScheduleLine(i.Number, i.DueDate, i.Principal, i.Interest, i.Principal + i.Interest,
                lines.Where(x => x.Number > i.Number).Sum(x => x.Principal - x.PrincipalPaid))).ToList());
    }
}
