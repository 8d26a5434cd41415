using LoanOffice.Domain.Common;

namespace LoanOffice.Domain.Loans;

public sealed record SimulatedPayment(DateOnly Date, decimal Amount);

public sealed record SimulatedPrepayment(DateOnly Date, decimal Principal, PrepaymentOption Option);

public sealed record SimulatedClass(DateOnly Date, LoanClass Class);

/// <summary>A what-if scenario (贷款试算): a loan's terms and history, and the date to look at it on.</summary>
public sealed record SimulationScenario(
    LoanTerms Terms,
    IReadOnlyList<SimulatedPayment> Payments,
    IReadOnlyList<SimulatedPrepayment> Prepayments,
    IReadOnlyList<int> Reversals,
    IReadOnlyList<SimulatedClass> ManualClasses,
    DateOnly AsOf);

/// <summary>How an installment stands on the simulated date.</summary>
public enum InstallmentStanding
{
    /// <summary>Fully paid.</summary>
    Paid,
    /// <summary>Past its due date plus grace and not fully paid.</summary>
    Overdue,
    /// <summary>The one current installment: due today, within grace, or due next.</summary>
    Current,
    /// <summary>Later than the current one.</summary>
    Future,
}

/// <summary>How each installment stands on a date (the loan page and the simulator show the same).</summary>
public static class InstallmentStandings
{
    public static IReadOnlyDictionary<int, InstallmentStanding> On(IEnumerable<InstallmentBalance> installments, DateOnly date, int graceDays)
    {
        var list = installments.ToList();
        var (_, current) = PaymentAllocator.Split(new LoanBalance(list, 0m, 0m, graceDays), date);
        return list.ToDictionary(i => i.Number, i =>
            i.PrincipalOutstanding + i.InterestOutstanding <= 0m ? InstallmentStanding.Paid
            : PaymentAllocator.IsOverdue(i, date, graceDays) ? InstallmentStanding.Overdue
            : current?.Number == i.Number ? InstallmentStanding.Current
            : InstallmentStanding.Future);
    }
}

public sealed record SimulatedInstallment(int Number, DateOnly DueDate, decimal Principal, decimal Interest, decimal PaidPrincipal,
    decimal PaidInterest, InstallmentStanding State);

/// <summary>Where one payment went; a reversed payment went nowhere.</summary>
public sealed record SimulatedAllocation(DateOnly Date, decimal Amount, bool Reversed, decimal Penalty, decimal Compound, decimal Interest, decimal Principal);

public sealed record SimulatedPrepaymentResult(DateOnly Date, decimal Principal, PrepaymentOption Option, int Days, decimal InterestForDays, decimal TotalPaid);

public sealed record SimulationResult(
    DateOnly AsOf,
    int DaysPastDue,
    LoanClass Class,
    LoanStatus Status,
    IReadOnlyList<SimulatedInstallment> Installments,
    IReadOnlyList<SimulatedAllocation> Payments,
    IReadOnlyList<SimulatedPrepaymentResult> Prepayments,
    decimal PenaltyAccrued,
    decimal CompoundAccrued,
    decimal PenaltyDue,
    decimal CompoundDue,
    Payoff Payoff);

/// <summary>
/// The what-if simulator: disburses the loan in the domain, replays the scenario's history (reversed payments left
/// out; on one date payments first, then prepayments, then manual classes) through the as-of date exactly as the
/// nightly close would have, and reports the loan's state at the end of that date. The payoff is what settles the
/// loan as it then stands: penalty and compound as accrued through the as-of date, everything due, interest by actual
/// days from the last due date (or prepayment) to the as-of date on the principal not yet due, and that principal.
/// No database: the same <see cref="Loan"/> aggregate the back office posts through.
/// </summary>
public static class LoanSimulator
{
    public static Result<SimulationResult> Run(SimulationScenario scenario)
    {
        // every date within the business range before any date arithmetic (year 9999 + a day overflows)
        var dates = new List<(string Field, DateOnly Date)> { ("disbursed", scenario.Terms.DisbursedOn), ("asOf", scenario.AsOf) };
        dates.AddRange(scenario.Payments.Select((p, i) => ($"payments[{i}].date", p.Date)));
        dates.AddRange(scenario.Prepayments.Select((p, i) => ($"prepayments[{i}].date", p.Date)));
        dates.AddRange(scenario.ManualClasses.Select((m, i) => ($"manualClass[{i}].date", m.Date)));
        foreach (var (field, date) in dates)
            if (!BusinessDates.InRange(date)) return BusinessDates.Refusal(field, date);
        var disbursed = Loan.Disburse(scenario.Terms);
        if (!disbursed.IsSuccess) return disbursed.Error!;
        var terms = scenario.Terms;
        if (scenario.AsOf < terms.DisbursedOn) return Error.Of(ErrorCodes.DateBeforeStart, terms.DisbursedOn).At("asOf");

        for (var i = 0; i < scenario.Reversals.Count; i++)
            if (scenario.Reversals[i] < 0 || scenario.Reversals[i] >= scenario.Payments.Count)
                return Error.Of(ErrorCodes.NoSuchPayment, scenario.Reversals[i]).At($"reversals[{i}]");
        var reversed = scenario.Reversals.ToHashSet();

        // ids carry the input position so a refusal names the field it came from
        var fields = new Dictionary<Guid, string>();
        var events = new List<(LoanEvent Event, int Order)>();
        for (var i = 0; i < scenario.Payments.Count; i++)
        {
            var p = scenario.Payments[i];
            var id = Guid.NewGuid();
            fields[id] = $"payments[{i}]";
            if (p.Date < terms.DisbursedOn) return Error.Of(ErrorCodes.ValueDateBeforeStart, terms.DisbursedOn).At($"payments[{i}].date");
            if (!reversed.Contains(i)) events.Add((new PaymentEvent(id, p.Date, p.Amount), 0));
        }

        for (var i = 0; i < scenario.Prepayments.Count; i++)
        {
            var p = scenario.Prepayments[i];
            var id = Guid.NewGuid();
            fields[id] = $"prepayments[{i}]";
            if (p.Date < terms.DisbursedOn) return Error.Of(ErrorCodes.ValueDateBeforeStart, terms.DisbursedOn).At($"prepayments[{i}].date");
            events.Add((new PrepaymentEvent(id, p.Date, p.Principal, p.Option), 1));
        }

        for (var i = 0; i < scenario.ManualClasses.Count; i++)
        {
            var m = scenario.ManualClasses[i];
            var id = Guid.NewGuid();
            fields[id] = $"manualClass[{i}]";
            if (m.Date < terms.DisbursedOn) return Error.Of(ErrorCodes.DateBeforeStart, terms.DisbursedOn).At($"manualClass[{i}].date");
            events.Add((new ManualClassEvent(id, m.Date, m.Class), 2));
        }

        var ordered = events.Select((e, n) => (e.Event, e.Order, n)).OrderBy(e => e.Event.Date).ThenBy(e => e.Order).ThenBy(e => e.n).Select(e => e.Event);
        var loan = Loan.Resume(terms, disbursed.Value!.Start, null, ordered);
        var replay = loan.PositionAt(scenario.AsOf);
        if (!replay.IsSuccess)
        {
            var error = replay.Error!;
            var field = error.Subject is { } s && fields.TryGetValue(s, out var f) ? f + "." + (error.Field ?? "amount") : error.Field ?? "asOf";
            return error.At(field);
        }

        var position = replay.Value!;
        var state = position.State;
        var standings = InstallmentStandings.On(state.Installments.Select(i => i.Balance), scenario.AsOf, terms.GraceDays);
        var installments = state.Installments.Select(i => new SimulatedInstallment(i.Number, i.DueDate, i.Principal, i.Interest, i.PrincipalPaid, i.InterestPaid,
            standings[i.Number])).ToList();

        var payments = new List<SimulatedAllocation>();
        var paymentEvents = loan.History.OfType<PaymentEvent>().ToDictionary(e => fields[e.Id]);
        for (var i = 0; i < scenario.Payments.Count; i++)
        {
            var p = scenario.Payments[i];
            if (reversed.Contains(i) || !paymentEvents.TryGetValue($"payments[{i}]", out var e) || !position.Allocations.TryGetValue(e.Id, out var a))
            {
                payments.Add(new SimulatedAllocation(p.Date, p.Amount, reversed.Contains(i), 0m, 0m, 0m, 0m));
                continue;
            }

            payments.Add(new SimulatedAllocation(p.Date, p.Amount, false, a.Of(AllocationComponent.Penalty), a.Of(AllocationComponent.Compound),
                a.Of(AllocationComponent.OverdueInterest) + a.Of(AllocationComponent.CurrentInterest),
                a.Of(AllocationComponent.OverduePrincipal) + a.Of(AllocationComponent.CurrentPrincipal)));
        }

        var prepayments = loan.History.OfType<PrepaymentEvent>().Where(e => position.Prepayments.ContainsKey(e.Id))
            .Select(e => position.Prepayments[e.Id])
            .Select(q => new SimulatedPrepaymentResult(q.Date, q.PrincipalPrepaid, q.Option, q.DaysSinceLastDueDate, q.InterestForDays, q.TotalToPay)).ToList();

        return new SimulationResult(scenario.AsOf, position.DaysPastDue, position.Class, position.Status, installments, payments, prepayments,
            state.PenaltyAccrued, state.CompoundAccrued, state.PenaltyOutstanding, state.CompoundOutstanding, loan.PayoffOf(position, scenario.AsOf));
    }
}
