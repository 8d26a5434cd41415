-- The loans behind a past date's risk figures. The nightly snapshot keeps cells (counts and sums); for the drill-down
-- of "PAR30 as of 2026-06-30" the loans themselves are needed, as the book stood that night. Keeping every loan every
-- night would be a million rows a day, so only the loans at risk (open, and past due or classed worse than 正常) are
-- kept, and only when their state changes: a row holds a loan's cell (team, officer, product, method, class,
-- extended, DPD bucket), its days past due, outstanding principal and overdue amount from the snapshot date
-- valid_from until valid_to (exclusive; open-ended while it holds). A loan's days past due grow by one a night while
-- nothing else changes, so the row keeps the DPD of its first night and the date tells the rest.
-- Who marks a change: statement triggers on loans (every writer: EF, the close, the import, raw SQL) put the loans
-- whose at-risk state changed into portfolio_dirty_loans; the snapshot step moves them into rows for its date.
-- Tests check that the rows of a date add up to that date's at-risk cells.
CREATE TABLE IF NOT EXISTS portfolio_loan_states (
    loan_id               uuid          NOT NULL,
    valid_from            date          NOT NULL,
    valid_to              date,
    team_id               uuid          NOT NULL,
    officer_id            uuid,
    product_code          varchar(30)   NOT NULL,
    method                varchar(40)   NOT NULL,
    class                 varchar(40)   NOT NULL,
    extended              boolean       NOT NULL,
    bucket                integer       NOT NULL,
    dpd                   integer       NOT NULL,
    principal_outstanding numeric(18,2) NOT NULL,
    overdue               numeric(18,2) NOT NULL,
    PRIMARY KEY (loan_id, valid_from)
);
--;;
CREATE INDEX IF NOT EXISTS ix_portfolio_loan_states_dates ON portfolio_loan_states (valid_from, valid_to);
--;;
CREATE TABLE IF NOT EXISTS portfolio_dirty_loans (loan_id uuid PRIMARY KEY);
--;;
-- At risk: open, and past due or classed worse than 正常. The state compared: the cell, the overdue-since date (DPD
-- less the closed date: constant while the loan only ages), the outstanding principal and the overdue amount.
CREATE OR REPLACE FUNCTION lo_loan_states_dirty() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM portfolio_dirty_loans x USING old_rows o WHERE x.loan_id = o."Id";
    ELSIF TG_OP = 'INSERT' THEN
        INSERT INTO portfolio_dirty_loans (loan_id)
        SELECT n."Id" FROM new_rows n
         WHERE n."Status" IN ('Active', 'Overdue') AND (n."DaysPastDue" > 0 OR n."Class" <> 'Normal')
        ON CONFLICT DO NOTHING;
    ELSE
        INSERT INTO portfolio_dirty_loans (loan_id)
        SELECT n."Id" FROM new_rows n JOIN old_rows o ON o."Id" = n."Id"
         WHERE ((n."Status" IN ('Active', 'Overdue') AND (n."DaysPastDue" > 0 OR n."Class" <> 'Normal'))
                OR (o."Status" IN ('Active', 'Overdue') AND (o."DaysPastDue" > 0 OR o."Class" <> 'Normal')))
           AND (n."Status", n."TeamId", n."OfficerId", n."ProductCode", n."Method", n."Class", n."Extended", lo_dpd_bucket(n."DaysPastDue"),
                CASE WHEN n."DaysPastDue" > 0 THEN n."ClosedThrough" - n."DaysPastDue" END, n."PrincipalOutstanding", n."OverdueAmount")
               IS DISTINCT FROM
               (o."Status", o."TeamId", o."OfficerId", o."ProductCode", o."Method", o."Class", o."Extended", lo_dpd_bucket(o."DaysPastDue"),
                CASE WHEN o."DaysPastDue" > 0 THEN o."ClosedThrough" - o."DaysPastDue" END, o."PrincipalOutstanding", o."OverdueAmount")
        ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END
$$;
--;;
DROP TRIGGER IF EXISTS trg_loans_states_ins ON loans;
--;;
CREATE TRIGGER trg_loans_states_ins AFTER INSERT ON loans
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION lo_loan_states_dirty();
--;;
DROP TRIGGER IF EXISTS trg_loans_states_upd ON loans;
--;;
CREATE TRIGGER trg_loans_states_upd AFTER UPDATE ON loans
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION lo_loan_states_dirty();
--;;
DROP TRIGGER IF EXISTS trg_loans_states_del ON loans;
--;;
CREATE TRIGGER trg_loans_states_del AFTER DELETE ON loans
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION lo_loan_states_dirty();
--;;
-- The snapshot step for a date (after its cells): the marked loans lent by then become rows from that date (a loan no
-- longer at risk only ends its row); a re-run of the date rewrites its own rows. Loans lent later stay marked.
CREATE OR REPLACE FUNCTION lo_write_loan_states(d date) RETURNS void
    LANGUAGE sql AS
$$
WITH moved AS (
    DELETE FROM portfolio_dirty_loans x USING loans l
     WHERE x.loan_id = l."Id" AND l."DisbursedOn" <= d
    RETURNING l."Id" AS loan_id, l."TeamId" AS team_id, l."OfficerId" AS officer_id, l."ProductCode" AS product_code, l."Method" AS method,
              l."Class" AS class, l."Extended" AS extended, lo_dpd_bucket(l."DaysPastDue") AS bucket, l."DaysPastDue" AS dpd,
              l."PrincipalOutstanding" AS principal_outstanding, l."OverdueAmount" AS overdue,
              l."Status" IN ('Active', 'Overdue') AND (l."DaysPastDue" > 0 OR l."Class" <> 'Normal') AS at_risk),
ended AS (
    UPDATE portfolio_loan_states s SET valid_to = d
      FROM moved m
     WHERE s.loan_id = m.loan_id AND s.valid_from < d AND (s.valid_to IS NULL OR s.valid_to > d)
    RETURNING s.loan_id),
rerun AS (
    DELETE FROM portfolio_loan_states s USING moved m
     WHERE s.loan_id = m.loan_id AND s.valid_from = d AND NOT m.at_risk
    RETURNING s.loan_id)
INSERT INTO portfolio_loan_states (loan_id, valid_from, valid_to, team_id, officer_id, product_code, method, class, extended, bucket, dpd,
                                   principal_outstanding, overdue)
SELECT m.loan_id, d, NULL, m.team_id, m.officer_id, m.product_code, m.method, m.class, m.extended, m.bucket, m.dpd, m.principal_outstanding, m.overdue
  FROM moved m
 WHERE m.at_risk
ON CONFLICT (loan_id, valid_from) DO UPDATE
   SET valid_to = NULL, team_id = EXCLUDED.team_id, officer_id = EXCLUDED.officer_id, product_code = EXCLUDED.product_code,
       method = EXCLUDED.method, class = EXCLUDED.class, extended = EXCLUDED.extended, bucket = EXCLUDED.bucket, dpd = EXCLUDED.dpd,
       principal_outstanding = EXCLUDED.principal_outstanding, overdue = EXCLUDED.overdue
$$;
--;;
-- The loans at risk now start their rows on the book's last snapshot date (or are marked for the next one).
INSERT INTO portfolio_dirty_loans (loan_id)
SELECT l."Id" FROM loans l
 WHERE l."Status" IN ('Active', 'Overdue') AND (l."DaysPastDue" > 0 OR l."Class" <> 'Normal')
ON CONFLICT DO NOTHING;
--;;
SELECT lo_write_loan_states(d) FROM (SELECT max(business_date) AS d FROM portfolio_snapshots) s WHERE s.d IS NOT NULL;
