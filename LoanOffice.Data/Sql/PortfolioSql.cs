namespace LoanOffice.Data.Sql;

/// <summary>
/// The portfolio cells' SQL (Portfolio.sql owns the view and the table): the live cells the dashboards read for the
/// last close, and the statement the close of business runs to keep a date's cells. Both select the same columns in
/// the same order: team, officer, product, method, class, extended, bucket, loans, outstanding principal, overdue.
/// </summary>
public static class PortfolioSql
{
    /// <summary>The scope and filter every cell query takes: @teams, @own (an officer or null), @product (or null), @extended.</summary>
    private const string Filter = """
        team_id = ANY(@teams) AND (@own::uuid IS NULL OR officer_id = @own)
        AND (@product::text IS NULL OR product_code = @product) AND (@extended OR NOT extended)
        """;

    public const string LiveCells = $"""
        SELECT team_id, officer_id, product_code, method, class, extended, bucket, count(*)::int, sum(principal_outstanding), sum(overdue)
          FROM lo_loan_positions
         WHERE {Filter}
         GROUP BY 1, 2, 3, 4, 5, 6, 7
        """;

    public const string SnapshotCells = $"""
        SELECT team_id, officer_id, product_code, method, class, extended, bucket, loans, principal_outstanding, overdue
          FROM portfolio_snapshots
         WHERE business_date = @d AND {Filter}
        """;

    public const string HasSnapshot = "SELECT EXISTS (SELECT 1 FROM portfolio_snapshots WHERE business_date = @d)";

    /// <summary>The close's last step for a date: that night's cells (a re-run of the date replaces them).</summary>
    public const string WriteSnapshot = """
        DELETE FROM portfolio_snapshots WHERE business_date = @d;
        INSERT INTO portfolio_snapshots (business_date, team_id, officer_id, product_code, method, class, extended, bucket, loans, principal_outstanding, overdue)
        SELECT @d, team_id, officer_id, product_code, method, class, extended, bucket, count(*), sum(principal_outstanding), sum(overdue)
          FROM lo_loan_positions
         WHERE disbursed_on <= @d
         GROUP BY team_id, officer_id, product_code, method, class, extended, bucket;
        """;

    /// <summary>
    /// Collections against what fell due between @from and @to (dates): the principal and interest of the installments
    /// due then (of the loans in @teams / @own / @product / @extended), what of it was paid by the due date plus grace,
    /// and what was recovered later (by @to). Penalty and compound interest are not part of either side.
    /// </summary>
    public const string Collections = """
        WITH due AS (
            SELECT l."Id" AS loan_id, i."Number", i."DueDate" + l."GraceDays" AS deadline, i."Principal" + i."Interest" AS amount
              FROM loans l
              JOIN loan_installments i ON i."LoanId" = l."Id"
              LEFT JOIN applications a ON a."Id" = l."ApplicationId"
             WHERE l."TeamId" = ANY(@teams) AND (@own::uuid IS NULL OR l."OfficerId" = @own)
               AND (@product::text IS NULL OR a."ProductCode" = @product)
               AND (@extended OR NOT EXISTS (SELECT 1 FROM loan_extensions e WHERE e."LoanId" = l."Id" AND e."Status" = 'Approved'))
               AND i."DueDate" BETWEEN @from AND @to AND i."Number" > 0),
        paid AS (
            SELECT d.loan_id, d."Number", t."ValueDate" <= d.deadline AS on_time, (x->>'amount')::numeric AS amount
              FROM due d
              JOIN loan_transactions t ON t."LoanId" = d.loan_id AND t."ReversedAt" IS NULL AND t."ValueDate" <= @to
              CROSS JOIN LATERAL jsonb_array_elements(t."Allocation") x
             WHERE (x->>'installment')::int = d."Number"
               AND x->>'component' IN ('CurrentPrincipal', 'CurrentInterest', 'OverduePrincipal', 'OverdueInterest'))
        SELECT (SELECT coalesce(sum(amount), 0) FROM due),
               coalesce(sum(amount) FILTER (WHERE on_time), 0),
               coalesce(sum(amount) FILTER (WHERE NOT on_time), 0)
          FROM paid
        """;
}
