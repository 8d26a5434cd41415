namespace LoanOffice.Domain.Loans;

/// <summary>One installment: amounts in 元 with two decimals; BalanceAfter is the principal still owed after it.</summary>
public sealed record ScheduleLine(int Number, DateOnly DueDate, decimal Principal, decimal Interest, decimal Payment, decimal BalanceAfter);

/// <summary>A repayment schedule (还款计划) as the engine produced it.</summary>
public sealed record RepaymentSchedule(
    RepaymentMethod Method,
    decimal Principal,
    decimal AnnualRate,
    int Months,
    DateOnly StartDate,
    IReadOnlyList<ScheduleLine> Installments)
{
    public decimal TotalPrincipal => Installments.Sum(l => l.Principal);
    public decimal TotalInterest => Installments.Sum(l => l.Interest);
    public decimal TotalPayment => Installments.Sum(l => l.Payment);
    public DateOnly MaturityDate => Installments.Count == 0 ? StartDate : Installments[^1].DueDate;
}
