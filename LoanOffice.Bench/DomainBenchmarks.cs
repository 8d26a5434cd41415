using BenchmarkDotNet.Attributes;
using LoanOffice.Domain.Applications;
using LoanOffice.Domain.Loans;
using LoanOffice.Domain.Products;

namespace LoanOffice.Bench;

/// <summary>The domain engine's hot paths (issue: well under 100 µs per 360-month schedule).</summary>
[MemoryDiagnoser]
public class DomainBenchmarks
{
    private static readonly DateOnly Start = new(2026, 1, 31);
    private LoanBalance _balance = default!;
    private RepaymentSchedule _schedule = default!;
    private ApprovalVote[] _votes = default!;
    private Loan _paidOnTime = default!;
    private Loan _stoppedPaying = default!;

    [GlobalSetup]
    public void Setup()
    {
        _schedule = ScheduleCalculator.Build(RepaymentMethod.EqualInstallment, 1_000_000m, 0.049m, 360, Start).Value!;
        _balance = new LoanBalance(_schedule.Installments.Select(l => new InstallmentBalance(l.Number, l.DueDate, l.Principal, l.Interest)).ToList(), 123.45m, 6.78m, 3);
        _votes = [ApprovalVote.Approved("a", 100_000m, 12), ApprovalVote.Approved("b", 115_000m, 12), ApprovalVote.Approved("c", 125_000m, 15)];
        // the import's replay: a 12-month loan and its payments through the day after its maturity
        var terms = new LoanTerms(RepaymentMethod.EqualInstallment, 50_000m, 0.15m, 12, new DateOnly(2025, 11, 10), 0.5m, 3);
        var lines = Loan.Disburse(terms).Value!.Start.Installments;
        _paidOnTime = Loan.Resume(terms, Loan.Disburse(terms).Value!.Start, null,
            lines.Select(i => (LoanEvent)new PaymentEvent(Guid.NewGuid(), i.DueDate, i.Principal + i.Interest)).ToList());
        _stoppedPaying = Loan.Resume(terms, Loan.Disburse(terms).Value!.Start, null,
            lines.Take(6).Select(i => (LoanEvent)new PaymentEvent(Guid.NewGuid(), i.DueDate, i.Principal + i.Interest)).ToList());
    }

    [Benchmark(Description = "EqualInstallment schedule, 360 months")]
    public RepaymentSchedule Schedule360() =>
        ScheduleCalculator.Build(RepaymentMethod.EqualInstallment, 1_000_000m, 0.049m, 360, Start).Value!;

    [Benchmark(Description = "EqualPrincipal schedule, 360 months")]
    public RepaymentSchedule EqualPrincipal360() =>
        ScheduleCalculator.Build(RepaymentMethod.EqualPrincipal, 1_000_000m, 0.049m, 360, Start).Value!;

    [Benchmark(Description = "Allocate a payment (360 installments, 3 overdue)")]
    public Allocation Allocate() => PaymentAllocator.Allocate(_balance, new DateOnly(2026, 5, 15), 20_000m).Value!;

    [Benchmark(Description = "Prepayment quote, lower installment (360 months)")]
    public PrepaymentQuote Prepay() => Prepayment.Quote(_schedule, new DateOnly(2027, 6, 10), 100_000m, PrepaymentOption.LowerInstallment).Value!;

    [Benchmark(Description = "Replay a 12-month loan paid on time, through its maturity")]
    public LoanPosition ReplayPaidOnTime() => _paidOnTime.PositionAt(new DateOnly(2026, 11, 30)).Value!;

    [Benchmark(Description = "Replay a 12-month loan that stopped paying after 6 months (accruing since)")]
    public LoanPosition ReplayStoppedPaying() => _stoppedPaying.PositionAt(new DateOnly(2026, 11, 30)).Value!;

    [Benchmark(Description = "Aggregate 3 votes")]
    public AggregationResult Aggregate() => ApprovalAggregation.Aggregate(_votes, ApprovalThresholds.Default).Value!;
}
