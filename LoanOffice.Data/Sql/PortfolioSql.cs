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
    public const string Collections = $"""
        WITH book AS ({Book}),
        due AS (
            SELECT b."Id" AS loan_id, i."Number", i."DueDate" + b."GraceDays" AS deadline, i."Principal" + i."Interest" AS amount
              FROM book b JOIN loan_installments i ON i."LoanId" = b."Id"
             WHERE i."DueDate" BETWEEN @from AND @to AND i."Number" > 0),
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

    /// <summary>Every loan of the filter (@teams, @own, @product, @extended), open or not: the lending, collections, vintage and migration queries start from it.</summary>
    public const string Book = """
        SELECT l."Id", l."Principal", l."DisbursedOn", l."SettledOn", l."GraceDays"
          FROM loans l LEFT JOIN applications a ON a."Id" = l."ApplicationId"
         WHERE l."TeamId" = ANY(@teams) AND (@own::uuid IS NULL OR l."OfficerId" = @own)
           AND (@product::text IS NULL OR a."ProductCode" = @product)
           AND (@extended OR NOT EXISTS (SELECT 1 FROM loan_extensions e WHERE e."LoanId" = l."Id" AND e."Status" = 'Approved'))
        """;

    /// <summary>
    /// Vintages: per disbursement month up to @d, the loans and principal disbursed, what of it is outstanding now and
    /// the outstanding principal of those more than 30 days past due (PAR30 of the cohort).
    /// </summary>
    public const string Vintages = $"""
        WITH book AS ({Book})
        SELECT date_trunc('month', b."DisbursedOn")::date, count(*)::int, sum(b."Principal"),
               coalesce(sum(p.principal_outstanding), 0), coalesce(sum(p.principal_outstanding) FILTER (WHERE p.dpd > 30), 0)
          FROM book b LEFT JOIN lo_loan_positions p ON p.loan_id = b."Id"
         WHERE b."DisbursedOn" <= @d
         GROUP BY 1 ORDER BY 1
        """;

    /// <summary>
    /// The five classes' migration between two dates (@prev → @d): each loan's class on a date is the last class
    /// change recorded by then (正常 before any), for loans disbursed and not settled by then; loans new in the period
    /// come from NULL, loans settled in it go to NULL. Counted, with their outstanding principal now.
    /// </summary>
    public const string Migration = $"""
        WITH book AS ({Book}),
        classes AS (
            SELECT b."Id",
                   CASE WHEN b."DisbursedOn" > @prev OR b."SettledOn" <= @prev THEN NULL ELSE coalesce(
                       (SELECT c."ToClass" FROM loan_class_changes c WHERE c."LoanId" = b."Id" AND c."BusinessDate" <= @prev
                         ORDER BY c."BusinessDate" DESC, c."At" DESC LIMIT 1), 'Normal') END AS from_class,
                   CASE WHEN b."DisbursedOn" > @d OR b."SettledOn" <= @d THEN NULL ELSE coalesce(
                       (SELECT c."ToClass" FROM loan_class_changes c WHERE c."LoanId" = b."Id" AND c."BusinessDate" <= @d
                         ORDER BY c."BusinessDate" DESC, c."At" DESC LIMIT 1), 'Normal') END AS to_class
              FROM book b WHERE b."DisbursedOn" <= @d)
        SELECT c.from_class, c.to_class, count(*)::int, coalesce(sum(p.principal_outstanding), 0)
          FROM classes c LEFT JOIN lo_loan_positions p ON p.loan_id = c."Id"
         WHERE c.from_class IS NOT NULL OR c.to_class IS NOT NULL
         GROUP BY 1, 2
        """;

    /// <summary>
    /// The officer league over @teams (@from..@d this month): per loan officer of those teams — principal disbursed,
    /// open loans and their outstanding principal, the part more than 30 days past due, open tasks (files assigned and
    /// being worked: Assigned, Collecting), open collection cases, and the promises to pay due by @d kept (the loan
    /// received at least the promised amount between the promise and its date) or broken.
    /// </summary>
    public const string OfficerLeague = """
        WITH officers AS (
            SELECT DISTINCT u."Id", u."DisplayName", u."TeamId"
              FROM "AspNetUsers" u JOIN "AspNetUserRoles" ur ON ur."UserId" = u."Id" JOIN "AspNetRoles" r ON r."Id" = ur."RoleId"
             WHERE r."Name" = 'LoanOfficer' AND u."TeamId" = ANY(@teams)),
        promises AS (
            SELECT c."OfficerId", a."PromisedAmount" <= coalesce((SELECT sum(t."Amount") FROM loan_transactions t
                       WHERE t."LoanId" = c."LoanId" AND t."ReversedAt" IS NULL
                         AND t."ValueDate" BETWEEN (a."At" AT TIME ZONE 'Asia/Shanghai')::date AND a."PromisedDate"), 0) AS kept
              FROM collection_actions a JOIN collection_cases c ON c."Id" = a."CaseId"
             WHERE a."Kind" = 'PromiseToPay' AND a."PromisedDate" <= @d AND c."TeamId" = ANY(@teams))
        SELECT o."Id", o."DisplayName",
               (SELECT coalesce(sum(l."Principal"), 0) FROM loans l WHERE l."OfficerId" = o."Id" AND l."DisbursedOn" BETWEEN @from AND @d),
               (SELECT count(*)::int FROM lo_loan_positions p WHERE p.officer_id = o."Id"),
               (SELECT coalesce(sum(p.principal_outstanding), 0) FROM lo_loan_positions p WHERE p.officer_id = o."Id"),
               (SELECT coalesce(sum(p.principal_outstanding), 0) FROM lo_loan_positions p WHERE p.officer_id = o."Id" AND p.dpd > 30),
               (SELECT count(*)::int FROM applications a WHERE a."AssignedOfficerId" = o."Id" AND a."State" IN ('Assigned', 'Collecting')),
               (SELECT count(*)::int FROM collection_cases c WHERE c."OfficerId" = o."Id" AND c."Status" = 'Open'),
               (SELECT count(*)::int FROM promises pr WHERE pr."OfficerId" = o."Id" AND pr.kept),
               (SELECT count(*)::int FROM promises pr WHERE pr."OfficerId" = o."Id" AND NOT pr.kept)
          FROM officers o
         ORDER BY 5 DESC, 2
        """;
}
