namespace LoanOffice.Domain.Loans;

/// <summary>还款方式.</summary>
public enum RepaymentMethod
{
    /// <summary>等额本息: equal payments; interest on the balance.</summary>
    EqualInstallment,
    /// <summary>等额本金: equal principal; interest on the balance.</summary>
    EqualPrincipal,
    /// <summary>按月付息, 到期还本.</summary>
    InterestOnly,
    /// <summary>一次性还本付息: one payment at maturity.</summary>
    Bullet,
    /// <summary>预收利息: all interest due on the disbursement date as its own line (never deducted from the amount paid out).</summary>
    PrepaidInterest,
}
