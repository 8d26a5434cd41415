-- The loan book's rules that SQL needs, owned once. The close of business, the compliance reports, the loan pages and
-- the dashboards call these; LoanOffice.Domain holds the same rules in C# (PaymentAllocator.IsOverdue,
-- OverdueAccrual.Daily / DaysPastDue, Classification.FromDaysPastDue / Effective, LedgerState.PenaltyOutstanding,
-- LoanPosition.Status) and a randomized test keeps the two equal. Plain SQL, IMMUTABLE: the planner inlines them, so
-- a set-based statement pays nothing for calling them. Re-run by every migration that changes one (CREATE OR REPLACE).

-- An installment is overdue on business date d when something is still owed on it and d is after its due date plus
-- the grace days (overdue from the next day).
CREATE OR REPLACE FUNCTION lo_is_overdue(due_date date, grace_days integer, principal_outstanding numeric, interest_outstanding numeric, d date)
RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT principal_outstanding + interest_outstanding > 0 AND d > due_date + grace_days $$;
--;;
-- Days past due on d of the oldest overdue installment (its due date, NULL when nothing is overdue).
CREATE OR REPLACE FUNCTION lo_dpd(oldest_overdue_due date, d date)
RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT coalesce(d - oldest_overdue_due, 0) $$;
--;;
-- 五级分类 from days past due: 0 Normal; 1–90 SpecialMention; 91–270 Substandard; 271–360 Doubtful; > 360 Loss.
CREATE OR REPLACE FUNCTION lo_dpd_class(dpd integer)
RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT CASE WHEN dpd <= 0 THEN 'Normal' WHEN dpd <= 90 THEN 'SpecialMention' WHEN dpd <= 270 THEN 'Substandard'
               WHEN dpd <= 360 THEN 'Doubtful' ELSE 'Loss' END $$;
--;;
-- The rank of a class, best (0) to worst (4).
CREATE OR REPLACE FUNCTION lo_class_rank(class text)
RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT array_position(ARRAY['Normal','SpecialMention','Substandard','Doubtful','Loss'], class) - 1 $$;
--;;
-- The class in force: a manual class only when it is worse than the DPD class.
CREATE OR REPLACE FUNCTION lo_effective_class(dpd_class text, manual_class text)
RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT CASE WHEN manual_class IS NOT NULL AND lo_class_rank(manual_class) > lo_class_rank(dpd_class) THEN manual_class ELSE dpd_class END $$;
--;;
-- One day's penalty or compound interest: basis × (annual × (1 + markup)) ÷ 360, multiplied before dividing, kept to
-- 6 decimals (half away from zero, which is what numeric round does).
CREATE OR REPLACE FUNCTION lo_daily_accrual(basis numeric, penalty_annual_rate numeric)
RETURNS numeric LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT round(basis * penalty_annual_rate / 360, 6) $$;
--;;
-- What is due of an accrued figure: the sum of the daily accruals rounded to the fen, less what was paid.
CREATE OR REPLACE FUNCTION lo_accrued_due(accrued numeric, paid numeric)
RETURNS numeric LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT round(coalesce(accrued, 0), 2) - coalesce(paid, 0) $$;
--;;
-- The status of an open loan from its days past due (settlement and write-off are set by their commands).
CREATE OR REPLACE FUNCTION lo_open_status(dpd integer)
RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT CASE WHEN dpd > 0 THEN 'Overdue' ELSE 'Active' END $$;
--;;
-- The first date after d on which an installment calls for the close's work (CloseWork.NextEvent): every day while
-- overdue; else its reminder (reminder_lead_days before the due date) if still ahead, else its first day overdue;
-- nothing (NULL) once paid. A loan rests until the day before the earliest of its installments' events.
CREATE OR REPLACE FUNCTION lo_next_event(due_date date, grace_days integer, reminder_lead_days integer, outstanding numeric, d date)
RETURNS date LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT CASE WHEN outstanding <= 0 THEN NULL
               WHEN d >= due_date + grace_days + 1 THEN d + 1
               WHEN due_date - reminder_lead_days > d THEN due_date - reminder_lead_days
               ELSE due_date + grace_days + 1 END $$;
--;;
-- An amount as people read it in a message (MoneyRules.FormatCny): ¥6,219.42, rounded half away from zero to the fen.
CREATE OR REPLACE FUNCTION lo_cny(amount numeric)
RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT CASE WHEN round(amount, 2) < 0 THEN '-¥' ELSE '¥' END || to_char(abs(round(amount, 2)), 'FM999,999,999,999,990.00') $$;
