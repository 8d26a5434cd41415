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

    /// <summary>Today's cells: the book as the loans stand, kept by the triggers of PortfolioLiveCells.sql.</summary>
    public const string LiveCells = $"""
        SELECT team_id, officer_id, product_code, method, class, extended, bucket, loans, principal_outstanding, overdue
          FROM portfolio_live_cells
         WHERE loans <> 0 AND {Filter}
        """;

    public const string SnapshotCells = $"""
        SELECT team_id, officer_id, product_code, method, class, extended, bucket, loans, principal_outstanding, overdue
          FROM portfolio_snapshots
         WHERE business_date = @d AND {Filter}
        """;

    public const string HasSnapshot = "SELECT EXISTS (SELECT 1 FROM portfolio_snapshots WHERE business_date = @d)";

    /// <summary>
    /// The close's last step for a date: that night's cells (a re-run of the date replaces them) — today's cells less the
    /// loans lent after the date (a close catching up several nights), so no loan row is read but those few; then the
    /// rows of the loans at risk whose state changed (PortfolioLoanStates.sql), for the past date's drill-downs.
    /// </summary>
    public const string WriteSnapshot = """
        DELETE FROM portfolio_snapshots WHERE business_date = @d;
        INSERT INTO portfolio_snapshots (business_date, team_id, officer_id, product_code, method, class, extended, bucket, loans, principal_outstanding, overdue)
        SELECT @d, team_id, officer_id, product_code, method, class, extended, bucket, sum(n), sum(po), sum(od)
          FROM (SELECT team_id, officer_id, product_code, method, class, extended, bucket, loans, principal_outstanding, overdue
                  FROM portfolio_live_cells WHERE loans <> 0
                UNION ALL
                SELECT l."TeamId", l."OfficerId", l."ProductCode", l."Method", l."Class", l."Extended", lo_dpd_bucket(l."DaysPastDue"),
                       -1, -l."PrincipalOutstanding", -l."OverdueAmount"
                  FROM loans l WHERE l."DisbursedOn" > @d AND l."Status" IN ('Active', 'Overdue')) c (team_id, officer_id, product_code, method, class, extended, bucket, n, po, od)
         GROUP BY team_id, officer_id, product_code, method, class, extended, bucket
        HAVING sum(n) <> 0;
        SELECT lo_write_loan_states(@d);
        """;

    /// <summary>
    /// Collections against what fell due between @from and @to (dates): the principal and interest of the installments
    /// due then (of the loans in @teams / @own / @product / @extended), what of it was paid by the due date plus grace,
    /// and what was recovered later (by @to). Penalty and compound interest are not part of either side.
    /// </summary>
    public const string Collections = $"""
        WITH {CollectionsParts}
        SELECT (SELECT coalesce(sum(amount), 0) FROM due),
               coalesce(sum(amount) FILTER (WHERE on_time), 0),
               coalesce(sum(amount) FILTER (WHERE NOT on_time), 0)
          FROM paid
        """;

    /// <summary>
    /// The same collections per loan officer (null: loans without one) — officer, due, paid on time, recovered late: the
    /// league's on-time rates and, added up, the period's figure in one pass.
    /// </summary>
    public const string CollectionsByOfficer = $"""
        WITH {CollectionsParts}
        SELECT o.officer_id, o.due, coalesce(p.on_time, 0), coalesce(p.late, 0)
          FROM (SELECT officer_id, sum(amount) AS due FROM due GROUP BY 1) o
          LEFT JOIN (SELECT officer_id, coalesce(sum(amount) FILTER (WHERE on_time), 0) AS on_time, coalesce(sum(amount) FILTER (WHERE NOT on_time), 0) AS late
                       FROM paid GROUP BY 1) p ON p.officer_id IS NOT DISTINCT FROM o.officer_id
        """;

    /// <summary>What fell due between @from and @to and what of it was paid (the rule of <see cref="Collections"/>).</summary>
    private const string CollectionsParts = $"""
        book AS ({Book}),
        due AS (
            SELECT b."Id" AS loan_id, b."OfficerId" AS officer_id, i."Number", i."DueDate" + b."GraceDays" AS deadline, i."Principal" + i."Interest" AS amount
              FROM book b JOIN loan_installments i ON i."LoanId" = b."Id"
             WHERE i."DueDate" BETWEEN @from AND @to AND i."Number" > 0),
        paid AS (
            SELECT d.loan_id, d.officer_id, d."Number", t."ValueDate" <= d.deadline AS on_time, (x->>'amount')::numeric AS amount
              FROM due d
              JOIN loan_transactions t ON t."LoanId" = d.loan_id AND t."ReversedAt" IS NULL AND t."ValueDate" <= @to
              CROSS JOIN LATERAL jsonb_array_elements(t."Allocation") x
             WHERE (x->>'installment')::int = d."Number"
               AND x->>'component' IN ('CurrentPrincipal', 'CurrentInterest', 'OverduePrincipal', 'OverdueInterest'))
        """;

    /// <summary>
    /// Every loan of the filter (@teams, @own, @product, @extended), open or not, with its stored position: the lending,
    /// collections, vintage and migration queries start from it.
    /// </summary>
    public const string Book = """
        SELECT l."Id", l."Principal", l."DisbursedOn", l."SettledOn", l."GraceDays", l."OfficerId", l."DaysPastDue",
               l."Status" IN ('Active', 'Overdue') AS open, l."PrincipalOutstanding"
          FROM loans l
         WHERE l."TeamId" = ANY(@teams) AND (@own::uuid IS NULL OR l."OfficerId" = @own)
           AND (@product::text IS NULL OR l."ProductCode" = @product)
           AND (@extended OR NOT l."Extended")
        """;

    /// <summary>
    /// Lending in three periods at once (@from0..@to0, @from1..@to1, @from2..@to2: this month, last month, the same month
    /// last year): per period, the loans and principal disbursed, and the repayments and prepayments received (by value
    /// date, reversals left out).
    /// </summary>
    public const string Flows = $"""
        WITH periods(n, f, t) AS (VALUES (0, @from0::date, @to0::date), (1, @from1::date, @to1::date), (2, @from2::date, @to2::date)),
        lent AS (
            SELECT p.n, count(*)::int AS loans, sum(b."Principal") AS principal
              FROM ({Book}) b JOIN periods p ON b."DisbursedOn" BETWEEN p.f AND p.t
             GROUP BY p.n),
        received AS (
            SELECT p.n, sum(t."Amount") AS amount
              FROM loan_transactions t
              JOIN periods p ON t."ValueDate" BETWEEN p.f AND p.t
              JOIN ({Book}) b ON b."Id" = t."LoanId"
             WHERE t."Kind" IN ('Repayment', 'Prepayment') AND t."ReversedAt" IS NULL
             GROUP BY p.n)
        SELECT p.n, coalesce(l.loans, 0), coalesce(l.principal, 0), coalesce(r.amount, 0)
          FROM periods p LEFT JOIN lent l ON l.n = p.n LEFT JOIN received r ON r.n = p.n
         ORDER BY p.n
        """;

    /// <summary>
    /// Vintages: per disbursement month up to @d, the loans and principal disbursed, what of it is outstanding now and
    /// the outstanding principal of those more than 30 days past due (PAR30 of the cohort) — one pass over the book.
    /// </summary>
    public const string Vintages = $"""
        SELECT date_trunc('month', b."DisbursedOn")::date, count(*)::int, sum(b."Principal"),
               coalesce(sum(b."PrincipalOutstanding") FILTER (WHERE b.open), 0),
               coalesce(sum(b."PrincipalOutstanding") FILTER (WHERE b.open AND b."DaysPastDue" > 30), 0)
          FROM ({Book}) b
         WHERE b."DisbursedOn" <= @d
         GROUP BY 1 ORDER BY 1
        """;

    /// <summary>
    /// Vintage curves: for each disbursement month from @first, what it lent and, at every month-end with a snapshot up
    /// to @d, the outstanding principal then of its loans more than 30 days past due — from the per-loan rows of the
    /// loans at risk (PortfolioLoanStates.sql) holding that night, in the cell filter of that night.
    /// </summary>
    public const string VintageCurves = $"""
        WITH ends AS (
            SELECT DISTINCT business_date AS d FROM portfolio_snapshots
             WHERE business_date BETWEEN @first AND @d
               AND business_date = (date_trunc('month', business_date) + interval '1 month' - interval '1 day')::date),
        cohorts AS (
            SELECT date_trunc('month', b."DisbursedOn")::date AS cohort, sum(b."Principal") AS lent
              FROM ({Book}) b WHERE b."DisbursedOn" BETWEEN @first AND @d GROUP BY 1),
        risk AS (
            SELECT e.d, date_trunc('month', l."DisbursedOn")::date AS cohort, sum(s.principal_outstanding) AS at_risk
              FROM ends e
              JOIN portfolio_loan_states s ON s.valid_from <= e.d AND (s.valid_to IS NULL OR s.valid_to > e.d) AND s.bucket >= 30
              JOIN loans l ON l."Id" = s.loan_id AND l."DisbursedOn" >= @first
             WHERE {Filter}
             GROUP BY 1, 2)
        SELECT c.cohort, c.lent, e.d, coalesce(r.at_risk, 0)
          FROM cohorts c JOIN ends e ON e.d >= c.cohort
          LEFT JOIN risk r ON r.d = e.d AND r.cohort = c.cohort
         ORDER BY 1, 3
        """;

    /// <summary>
    /// The five classes' migration between two dates (@prev → @d): each loan's class on a date is the last class
    /// change recorded by then (正常 before any), for loans disbursed and not settled by then; loans new in the period
    /// come from NULL, loans settled in it go to NULL. Counted, with the outstanding principal now of the open ones.
    /// Only the loans with a class change need their history; the rest of the book is 正常 (or out of it) on both
    /// dates and is counted in one pass with an anti-join.
    /// </summary>
    public const string Migration = $"""
        WITH b AS NOT MATERIALIZED (
            SELECT * FROM ({Book}) book WHERE "DisbursedOn" <= @d AND ("SettledOn" IS NULL OR "SettledOn" > @prev)),
        changes AS MATERIALIZED (
            SELECT c."LoanId", c."BusinessDate", c."At", c."ToClass" FROM loan_class_changes c WHERE c."BusinessDate" <= @d),
        changed AS (SELECT DISTINCT "LoanId" FROM changes),
        before AS (SELECT DISTINCT ON ("LoanId") "LoanId", "ToClass" FROM changes WHERE "BusinessDate" <= @prev ORDER BY "LoanId", "BusinessDate" DESC, "At" DESC),
        after AS (SELECT DISTINCT ON ("LoanId") "LoanId", "ToClass" FROM changes ORDER BY "LoanId", "BusinessDate" DESC, "At" DESC),
        moves AS (
            SELECT CASE WHEN b."DisbursedOn" > @prev OR b."SettledOn" <= @prev THEN NULL ELSE coalesce(bf."ToClass", 'Normal') END AS from_class,
                   CASE WHEN b."SettledOn" <= @d THEN NULL ELSE coalesce(af."ToClass", 'Normal') END AS to_class,
                   CASE WHEN b.open THEN b."PrincipalOutstanding" ELSE 0 END AS outstanding
              FROM changed ch JOIN b ON b."Id" = ch."LoanId" LEFT JOIN before bf ON bf."LoanId" = b."Id" LEFT JOIN after af ON af."LoanId" = b."Id"
            UNION ALL
            SELECT CASE WHEN b."DisbursedOn" > @prev OR b."SettledOn" <= @prev THEN NULL ELSE 'Normal' END,
                   CASE WHEN b."SettledOn" <= @d THEN NULL ELSE 'Normal' END,
                   CASE WHEN b.open THEN b."PrincipalOutstanding" ELSE 0 END
              FROM b WHERE NOT EXISTS (SELECT 1 FROM changed ch WHERE ch."LoanId" = b."Id"))
        SELECT from_class, to_class, count(*)::int, coalesce(sum(outstanding), 0)
          FROM moves
         WHERE from_class IS NOT NULL OR to_class IS NOT NULL
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
        lent AS (
            SELECT l."OfficerId" AS id, sum(l."Principal") AS principal FROM loans l
             WHERE l."TeamId" = ANY(@teams) AND l."DisbursedOn" BETWEEN @from AND @d GROUP BY 1),
        book AS (
            SELECT p.officer_id AS id, count(*)::int AS loans, sum(p.principal_outstanding) AS outstanding,
                   coalesce(sum(p.principal_outstanding) FILTER (WHERE p.dpd > 30), 0) AS par30
              FROM lo_loan_positions p WHERE p.team_id = ANY(@teams) GROUP BY 1),
        tasks AS (
            SELECT a."AssignedOfficerId" AS id, count(*)::int AS n FROM applications a
             WHERE a."State" IN ('Assigned', 'Collecting') AND a."AssignedOfficerId" IS NOT NULL GROUP BY 1),
        cases AS (
            SELECT c."OfficerId" AS id, count(*)::int AS n FROM collection_cases c
             WHERE c."Status" = 'Open' AND c."TeamId" = ANY(@teams) GROUP BY 1),
        promises AS (
            SELECT c."OfficerId" AS id, a."PromisedAmount" <= coalesce((SELECT sum(t."Amount") FROM loan_transactions t
                       WHERE t."LoanId" = c."LoanId" AND t."ReversedAt" IS NULL
                         AND t."ValueDate" BETWEEN (a."At" AT TIME ZONE 'Asia/Shanghai')::date AND a."PromisedDate"), 0) AS kept
              FROM collection_actions a JOIN collection_cases c ON c."Id" = a."CaseId"
             WHERE a."Kind" = 'PromiseToPay' AND a."PromisedDate" <= @d AND c."TeamId" = ANY(@teams)),
        kept AS (SELECT id, count(*) FILTER (WHERE kept)::int AS kept, count(*) FILTER (WHERE NOT kept)::int AS broken FROM promises GROUP BY 1),
        -- visits at the customer since the period's start (the league is live: to this moment), and how many the track or the photo verified
        visits AS (
            SELECT v."OfficerId" AS id, count(*)::int AS n, count(*) FILTER (WHERE v."Verified")::int AS verified FROM field_visits v
             WHERE v."OfficerId" IN (SELECT "Id" FROM officers) AND (v."At" AT TIME ZONE 'Asia/Shanghai')::date >= @from GROUP BY 1)
        SELECT o."Id", o."DisplayName", coalesce(l.principal, 0), coalesce(b.loans, 0), coalesce(b.outstanding, 0), coalesce(b.par30, 0),
               coalesce(t.n, 0), coalesce(c.n, 0), coalesce(k.kept, 0), coalesce(k.broken, 0), coalesce(v.n, 0), coalesce(v.verified, 0)
          FROM officers o
          LEFT JOIN lent l ON l.id = o."Id" LEFT JOIN book b ON b.id = o."Id" LEFT JOIN tasks t ON t.id = o."Id"
          LEFT JOIN cases c ON c.id = o."Id" LEFT JOIN kept k ON k.id = o."Id" LEFT JOIN visits v ON v.id = o."Id"
         ORDER BY 5 DESC, 2
        """;
}
