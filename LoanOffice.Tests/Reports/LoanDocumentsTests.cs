using System.Net;
using LoanOffice.Tests.Support;
using LoanOffice.Web.Features.Reports;
using LoanOffice.Web.Features.Servicing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.EntityFrameworkCore;
using Shouldly;
using UglyToad.PdfPig;

namespace LoanOffice.Tests.Reports;

/// <summary>Contract, IOU and collection notice printed from a loan's data.</summary>
public class LoanDocumentsTests(IsolatedApp app) : ServicingTestBase(app)
{
    private async Task<string> TextAsync(string user, Guid loan, LoanDocumentKind kind)
    {
        var pdf = await TestApplications.As(App.Services, user, s => s.Get<LoanDocumentsService>().RenderAsync(loan, kind));
        pdf.IsSuccess.ShouldBeTrue(pdf.Error?.Message);
        TestPdfs.Save("loan-" + kind, pdf.Value.Pdf);
        using var document = PdfDocument.Open(pdf.Value.Pdf);
        return string.Concat(document.GetPages().Select(p => p.Text)).Replace(" ", "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheContractAndTheIou_CarryTheTermsTheAmountInCapitalsAndTheSchedule()
    {
        var loan = await TestLoans.CreateAsync(App.Services, new DateOnly(2025, 3, 8));
        var contract = await TextAsync("finance", loan, LoanDocumentKind.Contract);
        // the contract names its HT number and the borrower's full resident ID number; reading the ID is audited
        await using (var db = Sql.Db())
        {
            var l = await db.Loans.AsNoTracking().SingleAsync(x => x.Id == loan);
            var number = await db.Contracts.Where(c => c.Id == l.ContractId).Select(c => c.Number).SingleAsync();
            var cipher = await db.Customers.Where(c => c.Id == l.CustomerId).Select(c => c.ResidentIdCipher).SingleAsync();
            contract.ShouldContain("合同编号ContractNo." + number);
            contract.ShouldContain("身份证号码ResidentID" + App.Services.GetRequiredService<LoanOffice.Data.Security.PersonalDataProtector>().Decrypt(cipher));
            (await db.AuditEntries.CountAsync(a => a.EntityKey == l.CustomerId.ToString() && a.Action == "Revealed" && a.Changes!.Contains(number))).ShouldBe(1);
        }
        foreach (var expected in new[] { "借款合同", "张伟", "¥12,000.00", "人民币壹万贰仟元整", "12个月", "18.00%", "等额本息EqualInstallment", "2025-03-08", "2026-03-08", "1,100.16", "先罚息、后利息、再本金" })
            contract.ShouldContain(expected);
        var iou = await TextAsync("officer", loan, LoanDocumentKind.Iou);
        foreach (var expected in new[] { "借据", "人民币壹万贰仟元整", "BANK-T-", "4111********1111", "2026-03-08" })
            iou.ShouldContain(expected);
    }

    [Fact]
    public async Task TheCollectionNotice_ListsWhatIsOverdue_WithPenaltyAndCompound_AndIsRefusedForACurrentLoan()
    {
        var loan = await TestLoans.CreateAsync(App.Services, new DateOnly(2025, 3, 8));
        (await TestApplications.As(App.Services, "officer", s => s.Get<LoanDocumentsService>().RenderAsync(loan, LoanDocumentKind.CollectionNotice))).Error!.Code.ShouldBe(LoanOffice.Domain.Common.ErrorCodes.LoanNotOverdue);
        (await App.Services.GetRequiredService<CloseOfBusiness>().RunThroughAsync(new DateOnly(2025, 5, 12), "test")).IsSuccess.ShouldBeTrue();
        var notice = await TextAsync("officer", loan, LoanDocumentKind.CollectionNotice);
        foreach (var expected in new[] { "催收单", "张伟", "逾期34天", "关注SpecialMention", "2025-04-08", "2025-05-08", "罚息", "复利", "2,200.32" })
            notice.ShouldContain(expected);
    }

    [Fact]
    public async Task AnotherTeamCannotPrintThem()
    {
        var loan = await TestLoans.CreateAsync(App.Services, new DateOnly(2025, 3, 8));
        var client = await App.SignedInClientAsync("officer.sh");
        (await client.GetAsync($"/api/v1/loans/{loan}/documents/contract.pdf")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var own = await App.SignedInClientAsync("officer");
        var response = await own.GetAsync($"/api/v1/loans/{loan}/documents/iou.pdf");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/pdf");
        (await own.GetAsync($"/api/v1/loans/{loan}/documents/other.pdf")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AReceipt_ShowsThePaymentItsAllocationAndTheBalance_AndAReversedOneSaysSo()
    {
        var loan = await TestLoans.CreateAsync(App.Services, new DateOnly(2025, 3, 8));
        (await App.Services.GetRequiredService<CloseOfBusiness>().RunThroughAsync(new DateOnly(2025, 4, 7), "test")).IsSuccess.ShouldBeTrue();
        var version = (uint)await Sql.ScalarAsync<long>("""SELECT xmin::text::bigint FROM loans WHERE "Id" = @id""", ("id", loan));
        var reference = "RC-" + Guid.NewGuid().ToString("N")[..10];
        var posted = await TestApplications.As(App.Services, "finance", s => s.Get<LoanServicing>().PostRepaymentAsync(loan, new DateOnly(2025, 4, 8), 1_100.16m, "BankTransfer", reference, version));
        posted.IsSuccess.ShouldBeTrue(posted.Error?.Message);
        var tx = posted.Value!.TransactionId;
        var number = await Sql.ScalarAsync<string>("""SELECT "Number" FROM loans WHERE "Id" = @id""", ("id", loan));

        async Task<string> ReceiptAsync(string user, string file)
        {
            var pdf = await TestApplications.As(App.Services, user, s => s.Get<LoanDocumentsService>().RenderReceiptAsync(loan, tx));
            pdf.IsSuccess.ShouldBeTrue(pdf.Error?.Code);
            TestPdfs.Save(file, pdf.Value.Pdf);
            using var document = PdfDocument.Open(pdf.Value.Pdf);
            return string.Concat(document.GetPages().Select(p => p.Text)).Replace(" ", "", StringComparison.Ordinal);
        }

        // installment 1 of 12,000 at 18 % paid on its due date: 180.00 interest and 920.16 principal, 11,079.84 left
        var receipt = await ReceiptAsync("officer", "loan-receipt");
        foreach (var expected in new[] { "还款凭证", $"凭证号ReceiptNo.{number}-R001", "起息日Valuedate2025-04-08", "¥1,100.16", "人民币壹仟壹佰元壹角陆分",
                     "当期利息", "180.00", "当期本金", "920.16", "合计Total1,100.16", "剩余本金Principaloutstanding¥11,079.84", reference, "冯丽" })
            receipt.ShouldContain(expected);
        receipt.ShouldNotContain("已冲正");

        version = (uint)await Sql.ScalarAsync<long>("""SELECT xmin::text::bigint FROM loans WHERE "Id" = @id""", ("id", loan));
        (await TestApplications.As(App.Services, "finance", s => s.Get<LoanServicing>().ReverseAsync(loan, tx, "银行退票", version))).IsSuccess.ShouldBeTrue();
        var reversed = await ReceiptAsync("finance", "loan-receipt-reversed");
        reversed.ShouldContain("已冲正REVERSED");
        reversed.ShouldContain("银行退票");
        reversed.ShouldNotContain("剩余本金");

        var client = await App.SignedInClientAsync("officer.sh");
        (await client.GetAsync($"/api/v1/loans/{loan}/repayments/{tx}/receipt.pdf")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var own = await App.SignedInClientAsync("officer");
        (await own.GetAsync($"/api/v1/loans/{loan}/repayments/{tx}/receipt.pdf")).Content.Headers.ContentType!.MediaType.ShouldBe("application/pdf");
        (await own.GetAsync($"/api/v1/loans/{loan}/repayments/{Guid.NewGuid()}/receipt.pdf")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}
