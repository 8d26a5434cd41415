-- Each open loan's position kept on its row (the columns Loan.ProductCode, PrincipalOutstanding, OverdueAmount), so the
-- dashboards, the nightly snapshot and the lists read loan rows only, never the installments of a million loans.
-- Who keeps them: every EF save (LoanPositionInterceptor: Loan.RefreshPosition, the domain's overdue rule, in the
-- same UPDATE as the rest of the row), the close's classify step (it sets the overdue amount from its overdue step;
-- it changes no installment), and lo_refresh_positions below for the bulk SQL writers (the import). A test replays
-- random histories and checks the stored figures against the domain; another checks the whole demo book.
-- This replaces the lo_loan_positions view of Portfolio.sql (same columns; Portfolio.sql keeps the first definition
-- for the migrations that ran it).
--
-- The rule in SQL: outstanding principal, and the unpaid principal and interest of the installments past due plus
-- grace on the loan's closed-through date (lo_is_overdue), for the given loans.
CREATE OR REPLACE FUNCTION lo_refresh_positions(ids uuid[]) RETURNS void
    LANGUAGE sql AS
$$
UPDATE loans l
   SET "PrincipalOutstanding" = s.principal_outstanding, "OverdueAmount" = s.overdue
  FROM (SELECT x.id,
               coalesce(sum(i."Principal" - i."PrincipalPaid"), 0) AS principal_outstanding,
               coalesce(sum(i."Principal" - i."PrincipalPaid" + i."Interest" - i."InterestPaid")
                   FILTER (WHERE lo_is_overdue(i."DueDate", l2."GraceDays", i."Principal" - i."PrincipalPaid",
                                               i."Interest" - i."InterestPaid", l2."ClosedThrough")), 0) AS overdue
          FROM (SELECT DISTINCT unnest(ids) AS id) x
          JOIN loans l2 ON l2."Id" = x.id
          LEFT JOIN loan_installments i ON i."LoanId" = x.id
         GROUP BY x.id) s
 WHERE l."Id" = s.id
   AND (l."PrincipalOutstanding", l."OverdueAmount") IS DISTINCT FROM (s.principal_outstanding, s.overdue)
$$;
--;;
-- A new loan row takes the product of its application (a BEFORE trigger: the row is written once, its version intact).
CREATE OR REPLACE FUNCTION lo_loan_product() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    IF NEW."ProductCode" = '' THEN
        NEW."ProductCode" := coalesce((SELECT a."ProductCode" FROM applications a WHERE a."Id" = NEW."ApplicationId"), '');
    END IF;
    RETURN NEW;
END
$$;
--;;
DROP TRIGGER IF EXISTS trg_loans_product ON loans;
--;;
CREATE TRIGGER trg_loans_product BEFORE INSERT ON loans FOR EACH ROW EXECUTE FUNCTION lo_loan_product();
--;;
UPDATE loans l SET "ProductCode" = a."ProductCode" FROM applications a WHERE a."Id" = l."ApplicationId" AND l."ProductCode" = '';
--;;
SELECT lo_refresh_positions(ARRAY(SELECT "Id" FROM loans));
--;;
DROP VIEW IF EXISTS lo_loan_positions;
--;;
CREATE VIEW lo_loan_positions AS
SELECT l."Id" AS loan_id, l."TeamId" AS team_id, l."OfficerId" AS officer_id, l."ProductCode" AS product_code,
       l."Method" AS method, l."Class" AS class, l."DaysPastDue" AS dpd, lo_dpd_bucket(l."DaysPastDue") AS bucket,
       l."DisbursedOn" AS disbursed_on, l."ClosedThrough" AS closed_through,
       x."LoanId" IS NOT NULL AS extended,
       l."PrincipalOutstanding" AS principal_outstanding, l."OverdueAmount" AS overdue
  FROM loans l
  -- extended (展期): a join with the few approved extensions (a per-row EXISTS costs 5× the whole aggregate)
  LEFT JOIN (SELECT DISTINCT e."LoanId" FROM loan_extensions e WHERE e."Status" = 'Approved') x ON x."LoanId" = l."Id"
 WHERE l."Status" IN ('Active', 'Overdue');
