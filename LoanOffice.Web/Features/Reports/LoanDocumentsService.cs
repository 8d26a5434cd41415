using System.Globalization;
using LoanOffice.Data;
using LoanOffice.Data.Auditing;
using LoanOffice.Data.Security;
using LoanOffice.Domain.Common;
using LoanOffice.Web.Components.Shared;
using LoanOffice.Web.Features.Reports.Pdf;
using LoanOffice.Web.Features.Servicing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LoanOffice.Web.Features.Reports;

public enum LoanDocumentKind
{
    Contract,
    Iou,
    CollectionNotice,
}

/// <summary>
/// Printable documents of a loan, from its data: the loan contract (借款合同) with the frozen terms and the schedule, the
/// IOU / loan receipt (借据) and the collection notice (催收单) with what is overdue. Scope-checked like the loan page.
/// </summary>
public sealed class LoanDocumentsService(LoanQueries loans, LoanServicing servicing, PdfFonts fonts, IOptions<CompanyOptions> company, TimeProvider clock, DocumentTerms terms,
    IDbContextFactory<LoanOfficeDbContext> dbFactory, PersonalDataProtector pii, IAuditContext audit)
{
    /// <summary>
    /// What a contract names beside the loan: its HT number and the borrower's full resident ID number (a contract
    /// identifies its parties). Reading the ID is recorded in the audit trail like any reveal.
    /// </summary>
    private async Task<(string ContractNumber, string ResidentId)> PartiesAsync(Data.Origination.Loan loan, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var number = await db.Contracts.AsNoTracking().Where(c => c.Id == loan.ContractId).Select(c => c.Number).SingleAsync(ct);
        var customer = await db.Customers.AsNoTracking().Where(c => c.Id == loan.CustomerId).Select(c => new { c.Id, c.ResidentIdCipher }).SingleAsync(ct);
        db.AuditEntries.Add(Applications.PersonalDataService.Revealed(audit, clock.GetUtcNow(), customer.Id,
            new { fields = new[] { "ResidentId" }, loan = loan.Number, contract = number, reason = "contract PDF" }));
        await db.SaveChangesAsync(ct);
        return (number, pii.Decrypt(customer.ResidentIdCipher));
    }

    private sealed record AllocationJson(string Component, int? Installment, decimal Amount);

    private static readonly System.Text.Json.JsonSerializerOptions Json = new(System.Text.Json.JsonSerializerDefaults.Web);

    private static readonly string[] PrincipalComponents = [nameof(LoanOffice.Domain.Loans.AllocationComponent.OverduePrincipal), nameof(LoanOffice.Domain.Loans.AllocationComponent.CurrentPrincipal)];

    /// <summary>What a payment paid, by component: a repayment's allocation lines, or a prepayment's interest for the days and principal.</summary>
    private static IReadOnlyList<(string Component, int? Installment, decimal Amount)> Paid(Data.Servicing.LoanTransaction t)
    {
        if (t.Kind == Data.Servicing.TransactionKind.Prepayment)
        {
            using var doc = System.Text.Json.JsonDocument.Parse(t.Allocation);
            var root = doc.RootElement;
            return [("CurrentInterest", null, root.TryGetProperty("interestForDays", out var i) ? i.GetDecimal() : 0m),
                    ("CurrentPrincipal", null, root.TryGetProperty("principal", out var p) ? p.GetDecimal() : t.PrepaidPrincipal ?? 0m)];
        }
        return (System.Text.Json.JsonSerializer.Deserialize<List<AllocationJson>>(t.Allocation, Json) ?? []).Select(l => (l.Component, l.Installment, l.Amount)).ToList();
    }

    /// <summary>
    /// 还款凭证: the receipt of one posted payment — its number (the loan's number and the payment's place among the
    /// loan's postings), value date, amount in figures and capitals, what it paid by component and installment, the
    /// principal outstanding after it, who posted it and when; a reversed payment prints marked as reversed.
    /// </summary>
    public async Task<Result<(string FileName, byte[] Pdf)>> RenderReceiptAsync(Guid loanId, Guid transactionId, CancellationToken ct = default)
    {
        var detail = await loans.DetailAsync(loanId, ct);
        if (detail is null) return Error.Of(ErrorCodes.OutOfScope);
        var l = detail.Loan;
        var t = detail.Transactions.FirstOrDefault(x => x.Id == transactionId);
        if (t is null) return Error.Of(ErrorCodes.PaymentNotFound);
        var number = $"{l.Number}-R{detail.Transactions.OrderBy(x => x.PostedAt).ThenBy(x => x.Id).ToList().FindIndex(x => x.Id == t.Id) + 1:000}";
        var paid = Paid(t);
        // principal outstanding after this payment: every standing payment up to it (in value-date order) repaid its share
        var standing = detail.Transactions.Where(x => x.ReversedAt is null).OrderBy(x => x.ValueDate).ThenBy(x => x.PostedAt).ToList();
        var upTo = standing.TakeWhile(x => x.Id != t.Id).Append(t);
        var outstanding = l.Principal - upTo.SelectMany(Paid).Where(x => PrincipalComponents.Contains(x.Component)).Sum(x => x.Amount);

        var title = "还款凭证 Repayment receipt";
        var pdf = new PdfDocumentBuilder(fonts) { HeaderLeft = company.Value.Name, HeaderRight = number, FooterLeft = $"还款凭证 · {number}" };
        pdf.Heading(t.ReversedAt is null ? title : title + " — 已冲正 REVERSED", 16f);
        var rows = new List<(string, string)>
        {
            ("凭证号 Receipt No.", number), ("借据号 Loan", l.Number), ("借款人 Borrower", detail.Customer),
            ("起息日 Value date", Fmt.Date(t.ValueDate)), ("还款金额 Amount", MoneyRules.FormatCny(t.Amount)),
            ("大写 In words", "人民币" + MoneyRules.ToChineseCapital(t.Amount)),
            ("类型 Kind", t.Kind == Data.Servicing.TransactionKind.Prepayment ? "提前还款 Prepayment" : "还款 Repayment"),
            ("渠道 Channel", terms.Of("Channel", t.Channel)), ("银行流水 Reference", t.ExternalReference),
            ("登记人 Posted by", $"{t.PostedByName} · {Fmt.DateTime(t.PostedAt)}"),
        };
        if (t.ReversedAt is { } reversedAt) rows.Add(("冲正 Reversed", $"{Fmt.DateTime(reversedAt)} · {t.ReversalReason}"));
        else rows.Add(("剩余本金 Principal outstanding", MoneyRules.FormatCny(outstanding)));
        pdf.KeyValues(rows);
        if (t.ReversedAt is null)
            pdf.Table(["款项 Component", "期次 #", "金额 Amount"], [2.4f, 0.8f, 1.4f],
                [.. paid.Select(x => (IReadOnlyList<string>)[terms.Of("AllocComponent", x.Component), x.Installment?.ToString(CultureInfo.InvariantCulture) ?? "—", PdfDocumentBuilder.Money(x.Amount)]),
                 ["合计 Total", "", PdfDocumentBuilder.Money(paid.Sum(x => x.Amount))]]);
        else
            // a reversal takes the payment off the loan's allocation: it pays nothing any more
            pdf.Paragraph("本笔还款已冲正，不再冲抵任何款项；本凭证仅作记录。 This payment was reversed: it pays nothing on the loan and this receipt is a record only.");
        var issued = clock.GetUtcNow();
        return ($"{number}-receipt.pdf", pdf.Render(new PdfMeta($"还款凭证 {number}", company.Value.Name, issued)));
    }

    public async Task<Result<(string FileName, byte[] Pdf)>> RenderAsync(Guid loanId, LoanDocumentKind kind, CancellationToken ct = default)
    {
        var detail = await loans.DetailAsync(loanId, ct);
        if (detail is null) return Error.Of(ErrorCodes.OutOfScope);
        var l = detail.Loan;
        if (kind == LoanDocumentKind.CollectionNotice && l.DaysPastDue == 0)
            return Error.Of(ErrorCodes.LoanNotOverdue);
        var issued = clock.GetUtcNow();
        var pdf = new PdfDocumentBuilder(fonts) { HeaderLeft = company.Value.Name, HeaderRight = l.Number, FooterLeft = $"{Title(kind)} · {l.Number}" };
        var rate = (l.AnnualRate * 100m).ToString("0.00", CultureInfo.InvariantCulture) + " %";
        var maturity = l.Installments.Select(i => i.DueDate).DefaultIfEmpty(l.DisbursedOn).Max();
        switch (kind)
        {
            case LoanDocumentKind.Contract:
                var parties = await PartiesAsync(l, ct);
                pdf.Heading("借款合同 Loan contract", 16f);
                pdf.KeyValues([("合同编号 Contract No.", parties.ContractNumber), ("贷款人 Lender", company.Value.Name), ("借款人 Borrower", detail.Customer),
                    ("身份证号码 Resident ID", parties.ResidentId), ("借据号 Loan", l.Number),
                    ("申请编号 Application", detail.ApplicationNumber), ("借款金额 Amount", MoneyRules.FormatCny(l.Principal)),
                    ("大写 In words", "人民币" + MoneyRules.ToChineseCapital(l.Principal)), ("期限 Term", $"{l.Months} 个月 months"),
                    ("年利率 Annual rate", rate), ("还款方式 Method", terms.Of("Method", l.Method)), ("放款日 Disbursed", Fmt.Date(l.DisbursedOn)),
                    ("到期日 Maturity", Fmt.Date(maturity)), ("收款账户 Account", l.BankAccountMasked)]);
                pdf.Paragraph($"第一条 借款人向贷款人借款人民币{MoneyRules.ToChineseCapital(l.Principal)}（{MoneyRules.FormatCny(l.Principal)}），期限 {l.Months} 个月，年利率 {rate}，月利率 = 年利率 / 12，日利率 = 年利率 / 360。");
                pdf.Paragraph($"第二条 借款人按下列还款计划还款；逾期部分自逾期之日起按罚息利率（合同利率上浮 {(l.PenaltyMarkup * 100m).ToString("0.##", CultureInfo.InvariantCulture)} %）计收罚息，对未按时支付的利息按同一利率计收复利；宽限期 {l.GraceDays} 天。还款按先罚息、后利息、再本金的顺序冲抵。");
                pdf.Paragraph("第三条 借款人可提前还款，提前还款部分按实际天数计息，并可选择缩短期限或减少每期还款额。");
                pdf.Table(["期次 #", "到期日 Due", "本金 Principal", "利息 Interest", "合计 Total"], [0.6f, 1.3f, 1.3f, 1.3f, 1.3f],
                    l.Installments.OrderBy(i => i.Number).Select(i => (IReadOnlyList<string>)[i.Number.ToString(CultureInfo.InvariantCulture), Fmt.Date(i.DueDate),
                        PdfDocumentBuilder.Money(i.Principal), PdfDocumentBuilder.Money(i.Interest), PdfDocumentBuilder.Money(i.Principal + i.Interest)]));
                pdf.Box("签章 Signatures", ["贷款人（盖章）Lender:", "借款人（签字）Borrower:", "签订日期 Signed on:"]);
                break;
            case LoanDocumentKind.Iou:
                pdf.Heading("借据 IOU / loan receipt", 16f);
                pdf.KeyValues([("借据号 Loan", l.Number), ("借款人 Borrower", detail.Customer), ("借款金额 Amount", MoneyRules.FormatCny(l.Principal)),
                    ("大写 In words", "人民币" + MoneyRules.ToChineseCapital(l.Principal)), ("放款日 Disbursed", Fmt.Date(l.DisbursedOn)),
                    ("到期日 Maturity", Fmt.Date(maturity)), ("年利率 Annual rate", rate), ("银行流水 Bank reference", l.BankReference),
                    ("收款账户 Account", l.BankAccountMasked), ("申请编号 Application", detail.ApplicationNumber)]);
                pdf.Paragraph($"今借到{company.Value.Name}人民币{MoneyRules.ToChineseCapital(l.Principal)}（{MoneyRules.FormatCny(l.Principal)}），已于 {Fmt.Date(l.DisbursedOn)} 转入上述账户，按借款合同约定还本付息。");
                pdf.Box("借款人签字 Borrower", ["签字 Signature:", "日期 Date:"]);
                break;
            case LoanDocumentKind.CollectionNotice:
                var quote = await servicing.PayoffQuoteAsync(loanId, l.ClosedThrough.AddDays(1));
                var overdue = l.Installments.Where(i => LoanOffice.Domain.Loans.PaymentAllocator.IsOverdue(new(i.Number, i.DueDate, i.Principal - i.PrincipalPaid, i.Interest - i.InterestPaid), l.ClosedThrough, l.GraceDays))
                    .OrderBy(i => i.Number).ToList();
                pdf.Heading("催收单 Collection notice", 16f);
                pdf.KeyValues([("借款人 Borrower", detail.Customer), ("手机 Mobile", detail.CustomerMobileMasked), ("借据号 Loan", l.Number),
                    ("逾期天数 Days past due", l.DaysPastDue.ToString(CultureInfo.InvariantCulture)), ("五级分类 Class", terms.Of("Class", l.Class)),
                    ("截至 As of", Fmt.Date(l.ClosedThrough)), ("客户经理 Officer", detail.Officer ?? "—"), ("团队 Team", detail.Team)]);
                pdf.Paragraph($"{detail.Customer}：您在我公司的借款 {l.Number} 已逾期 {l.DaysPastDue} 天。截至 {Fmt.Date(l.ClosedThrough)}，下列款项尚未归还，请于收到本通知之日起尽快归还，逾期期间将继续计收罚息与复利。");
                pdf.Table(["期次 #", "到期日 Due", "未还本金 Principal", "未还利息 Interest"], [0.6f, 1.3f, 1.5f, 1.5f],
                    overdue.Select(i => (IReadOnlyList<string>)[i.Number.ToString(CultureInfo.InvariantCulture), Fmt.Date(i.DueDate),
                        PdfDocumentBuilder.Money(i.Principal - i.PrincipalPaid), PdfDocumentBuilder.Money(i.Interest - i.InterestPaid)]));
                var owed = overdue.Sum(i => i.Principal - i.PrincipalPaid + i.Interest - i.InterestPaid);
                pdf.Box("应还合计 Amount due", [
                    $"逾期本息 Overdue principal and interest: {MoneyRules.FormatCny(owed)}",
                    $"罚息 Penalty interest: {MoneyRules.FormatCny(detail.PenaltyOutstanding)} · 复利 Compound interest: {MoneyRules.FormatCny(detail.CompoundOutstanding)}",
                    $"合计 Total: {MoneyRules.FormatCny(owed + detail.PenaltyOutstanding + detail.CompoundOutstanding)}（人民币{MoneyRules.ToChineseCapital(owed + detail.PenaltyOutstanding + detail.CompoundOutstanding)}）",
                    quote.IsSuccess ? $"全部结清 To settle in full on {Fmt.Date(quote.Value!.Date)}: {MoneyRules.FormatCny(quote.Value.Total)}" : "",
                ]);
                break;
        }

        var file = $"{l.Number}-{kind.ToString().ToLowerInvariant()}.pdf";
        return (file, pdf.Render(new PdfMeta($"{Title(kind)} {l.Number}", company.Value.Name, issued)));
    }

    private static string Title(LoanDocumentKind kind) => kind switch
    {
        LoanDocumentKind.Contract => "借款合同",
        LoanDocumentKind.Iou => "借据",
        _ => "催收单",
    };
}
