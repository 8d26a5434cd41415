namespace LoanOffice.Web.Features.Servicing;

/// <summary>
/// The statements of the close of business (日终批处理) for one business date <c>@d</c> and one batch of loans
/// <c>@ids</c> (locked, still closed through <c>@d − 1</c>). They run in one transaction with the advance of
/// "closed through", so a batch is either entirely done for the date or not at all. Every insert is
/// insert-if-absent on a unique key: a repeated or concurrent run can never add a second row. The rules themselves
/// (overdue, DPD, class bands, effective class, a day's accrual, status) are the SQL functions of
/// LoanOffice.Data/Sql/LoanRules.sql, tested to agree with the domain.
/// </summary>
internal static class CloseSql
{
    /// <summary>
    /// The loans the close of <c>@d</c> has work for: open, and resting no later than the night before (a loan that
    /// rests past it is passed by: nothing about it changes that night, see CloseWork). Proportional to the work, not
    /// to the book: the partial index on "RestsUntil" finds them.
    /// </summary>
    public const string HasWork = """ "Status" IN ('Active', 'Overdue') AND "RestsUntil" = @d - 1 """;

    public const string PickBatch = """
        SELECT "Id" FROM loans
         WHERE 
        """ + HasWork + """
         AND NOT ("Id" = ANY(@skip))
         ORDER BY "Id"
         LIMIT @n
           FOR UPDATE SKIP LOCKED
        """;

    /// <summary>
    /// The batch's loan ids, in a temporary table the steps join (PickBatch returns them in id order: @lo and @hi bound
    /// the range, so loans and installments are read by index range rather than one probe per id). The loans' stored
    /// positions (LoanPositions.sql) are kept by the steps: Classify sets the overdue amount from the overdue step, and
    /// the close changes no installment, so the outstanding principal stays.
    /// </summary>
    public const string Batch = """
        CREATE TEMP TABLE IF NOT EXISTS cob_batch (id uuid PRIMARY KEY) ON COMMIT DELETE ROWS;
        INSERT INTO cob_batch SELECT unnest(@ids);
        ANALYZE cob_batch
        """;

    /// <summary>The overdue balances of the batch at the end of the date: installments past due date + grace days.</summary>
    public const string Overdue = """
        CREATE TEMP TABLE IF NOT EXISTS cob_overdue (loan_id uuid PRIMARY KEY, principal numeric, interest numeric, oldest date) ON COMMIT DELETE ROWS;
        INSERT INTO cob_overdue
        SELECT i."LoanId", sum(i."Principal" - i."PrincipalPaid"), sum(i."Interest" - i."InterestPaid"), min(i."DueDate")
          FROM cob_batch b
          JOIN loans l ON l."Id" = b.id
          JOIN loan_installments i ON i."LoanId" = b.id
         WHERE l."Id" BETWEEN @lo AND @hi AND i."LoanId" BETWEEN @lo AND @hi
           AND lo_is_overdue(i."DueDate", l."GraceDays", i."Principal" - i."PrincipalPaid", i."Interest" - i."InterestPaid", @d)
         GROUP BY i."LoanId"
        """;

    /// <summary>Step 1: penalty (罚息) on overdue principal, compound (复利) on unpaid overdue interest, 6 decimals.</summary>
    public const string Accruals = """
        INSERT INTO loan_accruals ("LoanId", "BusinessDate", "Kind", "Basis", "Amount")
        SELECT o.loan_id, @d, k.kind, k.basis, lo_daily_accrual(k.basis, l."PenaltyAnnualRate")
          FROM cob_overdue o
          JOIN loans l ON l."Id" = o.loan_id
         CROSS JOIN LATERAL (VALUES ('Penalty', o.principal), ('Compound', o.interest)) AS k(kind, basis)
         WHERE k.basis > 0
        ON CONFLICT DO NOTHING
        """;

    /// <summary>
    /// Step 2: days past due of the oldest overdue amount, the five-level class (a manual class only if worse),
    /// closed through the date; each change of class goes into the history and the audit trail.
    /// </summary>
    public const string Classify = """
        WITH calc AS (
            SELECT l."Id" AS id, l."Class" AS old_class, l."ManualClass" AS manual,
                   lo_dpd(o.oldest, @d) AS dpd, coalesce(o.principal + o.interest, 0) AS overdue
              FROM cob_batch b
              JOIN loans l ON l."Id" = b.id
              LEFT JOIN cob_overdue o ON o.loan_id = l."Id"
             WHERE l."Id" BETWEEN @lo AND @hi
        ), cls AS (
            SELECT c.*, lo_dpd_class(dpd) AS dpd_class
              FROM calc c
        ), eff AS (
            SELECT cls.*, lo_effective_class(dpd_class, manual) AS new_class
              FROM cls
        ), next AS (
            -- when the close next has work for each loan: the earliest event of its installments
            SELECT i."LoanId" AS id,
                   min(lo_next_event(i."DueDate", l."GraceDays", l."ReminderLeadDays",
                                     (i."Principal" - i."PrincipalPaid") + (i."Interest" - i."InterestPaid"), @d)) AS next_on
              FROM cob_batch b
              JOIN loans l ON l."Id" = b.id
              JOIN loan_installments i ON i."LoanId" = b.id
             WHERE l."Id" BETWEEN @lo AND @hi AND i."LoanId" BETWEEN @lo AND @hi
             GROUP BY i."LoanId"
        ), upd AS (
            UPDATE loans l
               SET "DaysPastDue" = eff.dpd, "DpdClass" = eff.dpd_class, "Class" = eff.new_class, "ClosedThrough" = @d, "OverdueAmount" = eff.overdue,
                   "RestsUntil" = coalesce(next.next_on - 1, @d), "Status" = lo_open_status(eff.dpd)
              FROM eff LEFT JOIN next ON next.id = eff.id
             WHERE l."Id" = eff.id
            RETURNING l."Id" AS id, eff.old_class, eff.new_class, eff.dpd
        ), history AS (
            INSERT INTO loan_class_changes ("LoanId", "BusinessDate", "DaysPastDue", "FromClass", "ToClass", "Source", "Actor", "At")
            SELECT id, @d, dpd, old_class, new_class, 'Close', @actor, now()
              FROM upd WHERE new_class IS DISTINCT FROM old_class
            RETURNING "LoanId", "FromClass", "ToClass", "DaysPastDue"
        )
        INSERT INTO audit_log (occurred_at, actor, entity_type, entity_key, action, changes, seq, previous_hash, hash)
        SELECT now(), @actor, 'Loan', h."LoanId"::text, 'Updated',
               json_build_object('Class', json_build_object('before', h."FromClass", 'after', h."ToClass"),
                                 'DaysPastDue', json_build_object('after', h."DaysPastDue"),
                                 'BusinessDate', json_build_object('after', @d))::text,
               0, '', ''
          FROM history h
        """;

    /// <summary>
    /// Step 3: reminders N days before a due date and the overdue notice on the first day overdue, to the customer
    /// (SMS, sent by the dispatcher) and the officer (in-app, delivered at once). One per installment, kind and channel.
    /// </summary>
    public const string Reminders = """
        WITH due AS MATERIALIZED (
            -- the installments that call for a message today, found first: the texts are built for these alone
            SELECT i."LoanId", i."Number", i."DueDate", i."Principal", i."PrincipalPaid", i."Interest", i."InterestPaid",
                   CASE WHEN i."DueDate" = @d + l."ReminderLeadDays" THEN 'DueReminder' ELSE 'OverdueNotice' END AS kind
              FROM cob_batch b
              JOIN loans l ON l."Id" = b.id
              JOIN loan_installments i ON i."LoanId" = b.id
             WHERE l."Id" BETWEEN @lo AND @hi AND i."LoanId" BETWEEN @lo AND @hi
               AND (i."DueDate" = @d + l."ReminderLeadDays" OR i."DueDate" + l."GraceDays" + 1 = @d)
               AND (i."Principal" - i."PrincipalPaid") + (i."Interest" - i."InterestPaid") > 0
        )
        INSERT INTO notifications ("Id", "DedupeKey", "Kind", "Channel", "LoanId", "InstallmentNumber", "CustomerId", "UserId",
                                   "Body", "Status", "Attempts", "NextAttemptAt", "CreatedAt", "SentAt")
        SELECT gen_random_uuid(),
               i.kind || ':' || i."LoanId" || ':' || i."Number" || ':' || ch.channel,
               i.kind, ch.channel, i."LoanId", i."Number", l."CustomerId",
               CASE WHEN ch.channel = 'InApp' THEN l."OfficerId" END,
               CASE WHEN i.kind = 'DueReminder' AND ch.channel = 'Sms' THEN
                        '【小贷】' || c."Name" || '，您的借款' || l."Number" || '第' || i."Number" || '期应还' ||
                        lo_cny(i."Principal" - i."PrincipalPaid" + i."Interest" - i."InterestPaid") ||
                        '，将于' || to_char(i."DueDate", 'YYYY-MM-DD') || '到期，请按时还款。'
                    WHEN i.kind = 'DueReminder' THEN
                        '还款提醒：' || c."Name" || ' 的借款 ' || l."Number" || ' 第' || i."Number" || '期 ' ||
                        lo_cny(i."Principal" - i."PrincipalPaid" + i."Interest" - i."InterestPaid") ||
                        ' 将于 ' || to_char(i."DueDate", 'YYYY-MM-DD') || ' 到期。'
                    WHEN ch.channel = 'Sms' THEN
                        '【小贷】' || c."Name" || '，您的借款' || l."Number" || '第' || i."Number" || '期（' ||
                        to_char(i."DueDate", 'YYYY-MM-DD') || '到期）已逾期，未还' ||
                        lo_cny(i."Principal" - i."PrincipalPaid" + i."Interest" - i."InterestPaid") ||
                        '，请尽快还款，逾期将产生罚息。'
                    ELSE
                        '逾期通知：' || c."Name" || ' 的借款 ' || l."Number" || ' 第' || i."Number" || '期（' ||
                        to_char(i."DueDate", 'YYYY-MM-DD') || ' 到期）已逾期，已开立催收案件。'
               END,
               CASE WHEN ch.channel = 'InApp' THEN 'Sent' ELSE 'Pending' END,
               0, now(), now(),
               CASE WHEN ch.channel = 'InApp' THEN now() END
          FROM due i
          JOIN loans l ON l."Id" = i."LoanId"
          JOIN customers c ON c."Id" = l."CustomerId"
         CROSS JOIN (VALUES ('Sms'), ('InApp')) AS ch(channel)
         WHERE ch.channel = 'Sms' OR l."OfficerId" IS NOT NULL
        ON CONFLICT ("DedupeKey") DO NOTHING
        """;

    /// <summary>Step 4: a collection case (催收) for each loan overdue without an open case, assigned to its officer.</summary>
    public const string OpenCases = """
        INSERT INTO collection_cases ("Id", "LoanId", "TeamId", "OfficerId", "OpenedOn", "Status")
        SELECT gen_random_uuid(), l."Id", l."TeamId", l."OfficerId", @d, 'Open'
          FROM cob_overdue o
          JOIN loans l ON l."Id" = o.loan_id
        ON CONFLICT ("LoanId") WHERE "Status" = 'Open' DO NOTHING
        """;

    /// <summary>…and closes the open case of a loan that is current again.</summary>
    public const string CloseCases = """
        UPDATE collection_cases cc SET "Status" = 'Closed', "ClosedOn" = @d
         WHERE cc."Status" = 'Open' AND cc."LoanId" IN (SELECT id FROM cob_batch)
           AND NOT EXISTS (SELECT 1 FROM cob_overdue o WHERE o.loan_id = cc."LoanId")
        """;

    /// <summary>The step's name for timing logs.</summary>
    public static string NameOf(string sql) =>
        ReferenceEquals(sql, Batch) ? nameof(Batch) : ReferenceEquals(sql, Overdue) ? nameof(Overdue) : ReferenceEquals(sql, Accruals) ? nameof(Accruals) : ReferenceEquals(sql, Classify) ? nameof(Classify)
        : ReferenceEquals(sql, Reminders) ? nameof(Reminders) : ReferenceEquals(sql, OpenCases) ? nameof(OpenCases) : ReferenceEquals(sql, CloseCases) ? nameof(CloseCases) : "step";

    public const string Progress = """
        UPDATE cob_runs SET "LoansClosed" = "LoansClosed" + @closed, "Accruals" = "Accruals" + @accruals,
               "ClassChanges" = "ClassChanges" + @classes, "Reminders" = "Reminders" + @reminders,
               "CasesOpened" = "CasesOpened" + @opened, "CasesClosed" = "CasesClosed" + @closedCases, "HeartbeatAt" = now()
         WHERE "Id" = @run
        """;
}
