-- The book as the dashboards read it, owned once (LoanOffice.Domain.Portfolio.PortfolioQuality holds the same rules
-- in C#, and a test keeps them equal).
--
-- A loan's DPD bucket: the largest of 0, 1, 30, 60, 90 that its days past due exceed, -1 when not overdue; a loan is
-- in PARn exactly when its bucket is at least n.
CREATE OR REPLACE FUNCTION lo_dpd_bucket(dpd integer) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT CASE WHEN dpd > 90 THEN 90 WHEN dpd > 60 THEN 60 WHEN dpd > 30 THEN 30 WHEN dpd > 1 THEN 1 WHEN dpd > 0 THEN 0 ELSE -1 END $$;
--;;
-- Each open loan's position after its last close: outstanding principal, the overdue amount (unpaid principal and
-- interest of its installments past due plus grace on its closed date, lo_is_overdue), days past due, class, bucket,
-- and whether an extension (展期) was approved for it.
CREATE OR REPLACE VIEW lo_loan_positions AS
SELECT l."Id" AS loan_id, l."TeamId" AS team_id, l."OfficerId" AS officer_id, coalesce(a."ProductCode", '')::varchar(30) AS product_code,
       l."Method" AS method, l."Class" AS class, l."DaysPastDue" AS dpd, lo_dpd_bucket(l."DaysPastDue") AS bucket,
       l."DisbursedOn" AS disbursed_on, l."ClosedThrough" AS closed_through,
       EXISTS (SELECT 1 FROM loan_extensions e WHERE e."LoanId" = l."Id" AND e."Status" = 'Approved') AS extended,
       i.principal_outstanding, i.overdue
  FROM loans l
  LEFT JOIN applications a ON a."Id" = l."ApplicationId"
  CROSS JOIN LATERAL (
      SELECT coalesce(sum(li."Principal" - li."PrincipalPaid"), 0) AS principal_outstanding,
             coalesce(sum(li."Principal" - li."PrincipalPaid" + li."Interest" - li."InterestPaid")
                 FILTER (WHERE lo_is_overdue(li."DueDate", l."GraceDays", li."Principal" - li."PrincipalPaid",
                                             li."Interest" - li."InterestPaid", l."ClosedThrough")), 0) AS overdue
        FROM loan_installments li WHERE li."LoanId" = l."Id") i
 WHERE l."Status" IN ('Active', 'Overdue');
--;;
-- The nightly snapshot of the book: the cells of lo_loan_positions for one business date, written by the close of
-- business when it has closed that date, so the dashboards can show any past date as that night left it.
CREATE TABLE IF NOT EXISTS portfolio_snapshots (
    business_date         date          NOT NULL,
    team_id               uuid          NOT NULL,
    officer_id            uuid,
    product_code          varchar(30)   NOT NULL,
    method                varchar(40)   NOT NULL,
    class                 varchar(40)   NOT NULL,
    extended              boolean       NOT NULL,
    bucket                integer       NOT NULL,
    loans                 integer       NOT NULL,
    principal_outstanding numeric(18,2) NOT NULL,
    overdue               numeric(18,2) NOT NULL
);
--;;
CREATE INDEX IF NOT EXISTS ix_portfolio_snapshots_date_team ON portfolio_snapshots (business_date, team_id)
    INCLUDE (officer_id, product_code, method, class, extended, bucket, loans, principal_outstanding, overdue);
