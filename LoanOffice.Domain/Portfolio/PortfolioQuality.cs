using LoanOffice.Domain.Loans;

namespace LoanOffice.Domain.Portfolio;

/// <summary>
/// One cell of the book on a business date: the open loans of one team × officer × product × method × class × DPD
/// bucket × extended, counted and summed. The dashboards add cells up; the nightly snapshot stores the same cells.
/// </summary>
public sealed record PortfolioCell(
    Guid TeamId, Guid? OfficerId, string ProductCode, RepaymentMethod Method, LoanClass Class, bool Extended, int Bucket,
    int Loans, decimal PrincipalOutstanding, decimal Overdue);

/// <summary>One portfolio-quality ratio: its parts, so a tile and its export can show the formula with the figures.</summary>
public sealed record Ratio(decimal Numerator, decimal Denominator)
{
    /// <summary>The exact quotient (null when there is nothing to divide by); rounded only where it is shown.</summary>
    public decimal? Value => Denominator == 0 ? null : Numerator / Denominator;
}

/// <summary>The quality of a set of cells, with the standard (CGAP/SEEP) definitions.</summary>
public sealed record PortfolioFigures(
    int Loans, decimal PrincipalOutstanding, decimal Overdue,
    IReadOnlyDictionary<int, Ratio> Par, Ratio ArrearsRate, Ratio NplRatio,
    IReadOnlyDictionary<LoanClass, (int Loans, decimal Principal)> Classes)
{
    /// <summary>Average outstanding principal per open loan (null with no loans).</summary>
    public decimal? AverageOutstanding => Loans == 0 ? null : decimal.Round(PrincipalOutstanding / Loans, 2, MidpointRounding.AwayFromZero);
}

/// <summary>
/// The portfolio-quality rules, once. PAR<i>n</i> (portfolio at risk) = the <b>whole</b> outstanding principal of the
/// open loans with an installment more than <i>n</i> days past due (days past due counted after the grace days, as
/// the close counts them) ÷ the gross outstanding principal — balances, not counts, and not the overdue amount alone.
/// The arrears rate = the overdue amount (unpaid principal and interest of the installments past due) ÷ the gross
/// outstanding principal. The NPL ratio = the outstanding principal of 次级 + 可疑 + 损失 ÷ the gross outstanding
/// principal. The SQL of the cells (<c>lo_dpd_bucket</c>) buckets days past due by the same thresholds.
/// </summary>
public static class PortfolioQuality
{
    /// <summary>The PAR thresholds, in days past due ("more than n days").</summary>
    public static readonly int[] ParDays = [1, 30, 60, 90];

    /// <summary>Not overdue at all.</summary>
    public const int Current = -1;

    /// <summary>
    /// A loan's DPD bucket: the largest of 0, 1, 30, 60, 90 that its days past due exceed, or <see cref="Current"/>.
    /// A loan is in PAR<i>n</i> exactly when its bucket is at least <i>n</i>, and overdue when it is at least 0.
    /// </summary>
    public static int Bucket(int daysPastDue) => daysPastDue switch
    {
        > 90 => 90,
        > 60 => 60,
        > 30 => 30,
        > 1 => 1,
        > 0 => 0,
        _ => Current,
    };

    /// <summary>Is a loan in PAR<i>n</i>?</summary>
    public static bool AtRisk(int daysPastDue, int parDays) => daysPastDue > parDays;

    public static bool IsNonPerforming(LoanClass c) => c is LoanClass.Substandard or LoanClass.Doubtful or LoanClass.Loss;

    public static PortfolioFigures Of(IEnumerable<PortfolioCell> cells)
    {
        var list = cells as IReadOnlyCollection<PortfolioCell> ?? cells.ToList();
        var gross = list.Sum(c => c.PrincipalOutstanding);
        var par = ParDays.ToDictionary(n => n, n => new Ratio(list.Where(c => c.Bucket >= n).Sum(c => c.PrincipalOutstanding), gross));
        var overdue = list.Sum(c => c.Overdue);
        var classes = Enum.GetValues<LoanClass>().ToDictionary(k => k,
            k => (list.Where(c => c.Class == k).Sum(c => c.Loans), list.Where(c => c.Class == k).Sum(c => c.PrincipalOutstanding)));
        return new PortfolioFigures(list.Sum(c => c.Loans), gross, overdue, par, new Ratio(overdue, gross),
            new Ratio(list.Where(c => IsNonPerforming(c.Class)).Sum(c => c.PrincipalOutstanding), gross), classes);
    }
}
