using System.Text;
using LoanOffice.Data.Servicing;
using LoanOffice.Domain.Common;
using LoanOffice.Domain.Loans;
using LoanOffice.Tests.Support;
using LoanOffice.Web.Features.Import;
using LoanOffice.Web.Features.Servicing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;

namespace LoanOffice.Tests.Integration;

/// <summary>批量还款: a bank's daily file matched by card or memo, posted in one action, the rest in suspense until assigned.</summary>
public class BankFileTests(IsolatedApp app) : ServicingTestBase(app)
{
    private const string CardA = "6222020200000000006";
    private const string CardB = "6222020200000000014";

    private async Task<T> AsFinanceAsync<T>(Func<BankFileService, Task<T>> action)
    {
        await using var scope = await ActingAs.UserAsync(App.Services, "finance");
        return await action(scope.Get<BankFileService>());
    }

    [Fact]
    public async Task ABankFile_IsMatchedByCardOrMemo_PostedOnce_AndTheRestWaitsInSuspenseUntilAssigned()
    {
        // customer A (card A) has one loan, customer B (card B) two; all disbursed 2026-09-10, first installments due 10-10
        var (a, b) = (OriginationTests.NewResidentId(), OriginationTests.NewResidentId());
        await using (var scope = App.Services.CreateAsyncScope())
        {
            var importer = scope.ServiceProvider.GetRequiredService<ImportService>();
            var actor = ImportActor.System("test");
            (await importer.ImportAsync(LoanOffice.Domain.Import.ImportKind.Customers, "c.csv", Encoding.UTF8.GetBytes(
                $"姓名,身份证号,手机号,地址,区域,银行卡号\n甲,{a},13800000001,,杭州市西湖区,{CardA}\n乙,{b},13800000002,,杭州市西湖区,{CardB}\n"), new(), actor)).Value!.Imported.ShouldBe(2);
            (await importer.ImportAsync(LoanOffice.Domain.Import.ImportKind.Loans, "l.csv", Encoding.UTF8.GetBytes(
                "外部借据号,客户身份证号,产品代码,团队代码,客户经理,本金,年利率,还款方式,期数,放款日,罚息上浮,宽限天数\n"
                + $"BK-A1,{a},CREDIT,HZ01,officer,12000,0.12,EqualPrincipal,12,2026-09-10,,\n"
                + $"BK-B1,{b},CREDIT,HZ01,officer,12000,0.12,EqualPrincipal,12,2026-09-10,,\n"
                + $"BK-B2,{b},CREDIT,HZ01,officer,24000,0.12,EqualPrincipal,12,2026-09-10,,\n"), new(), actor)).Value!.Imported.ShouldBe(3);
            (await importer.ImportAsync(LoanOffice.Domain.Import.ImportKind.Payments, "p.csv", Encoding.UTF8.GetBytes(
                "外部借据号,入账日,金额,外部流水号\nBK-A1,2026-10-10,1120,ICBC-0001\n"), new(), actor)).Value!.Imported.ShouldBe(1);
        }

        var saved = await AsFinanceAsync(s => s.SaveMappingAsync(new BankMapping("ICBC", "工商银行", ',', true, "交易日期", "金额", "付款账号", "流水号", "摘要", "yyyyMMdd")));
        saved.IsSuccess.ShouldBeTrue(saved.Error?.Message);
        var file = "交易日期,金额,付款账号,流水号,摘要\n"
                   + $"20261110,1110.00,{CardA},ICBC-1001,十一月还款\n"              // 2: card A → BK-A1
                   + $"20261110,1120.00,{CardB},ICBC-1002,还款\n"                   // 3: card B has two loans → ambiguous
                   + $"20261110,2240.00,{CardB},ICBC-1003,还款 BK-B2\n"             // 4: card B, the memo names BK-B2 → matched
                   + "20261110,1120.00,6222000000000000000,ICBC-1004,代还 BK-B1\n"    // 5: unknown card, memo BK-B1 → matched
                   + "20261110,500.00,6222000000000000001,ICBC-1005,\n"             // 6: nobody → unmatched
                   + $"20261010,1120.00,{CardA},ICBC-0001,十月还款\n"                // 7: posted already → duplicate
                   + $"20261110,1.00,{CardA},ICBC-1001,重复\n"                       // 8: the same reference twice in the file
                   + "2026-11-10,5,x,ICBC-1006,\n";                                  // 9: not a date of this bank's format
        var upload = (await AsFinanceAsync(s => s.UploadAsync("ICBC", "icbc-20261111.csv", Encoding.UTF8.GetBytes(file)))).Value!;
        upload.Problems.Select(p => (p.Line, p.Error.Code)).ShouldBe([(9, ErrorCodes.NotADate), (8, ErrorCodes.ImportDuplicateInFile)], ignoreOrder: true);
        upload.Rows.Select(r => (r.Reference, r.Status, r.LoanNumber)).ShouldBe([
            ("ICBC-1001", BankLineStatus.Matched, "BK-A1"), ("ICBC-1002", BankLineStatus.Ambiguous, null), ("ICBC-1003", BankLineStatus.Matched, "BK-B2"),
            ("ICBC-1004", BankLineStatus.Matched, "BK-B1"), ("ICBC-1005", BankLineStatus.Unmatched, null), ("ICBC-0001", BankLineStatus.Duplicate, null)]);
        upload.Rows[1].Candidates.ShouldBe(["BK-B1", "BK-B2"], ignoreOrder: true);
        upload.Rows[0].PayerAccount.ShouldBe("6222***********0006");

        var posting = (await AsFinanceAsync(s => s.PostMatchedAsync(upload.Rows.Where(r => r.Status == BankLineStatus.Matched).Select(r => r.Id).ToList()))).Value!;
        posting.ShouldBe(new BankPosting(3, 0, 0));
        await using (var db = Sql.Db())
        {
            (await db.LoanTransactions.CountAsync(t => t.ExternalReference.StartsWith("ICBC-"))).ShouldBe(4);
            var a1 = await db.Loans.AsNoTracking().Include(l => l.Installments).SingleAsync(l => l.Number == "BK-A1");
            a1.Installments.Single(i => i.Number == 2).PrincipalPaid.ShouldBe(1_000m, "11-10: installment 2 = 1,000.00 principal + 110.00 interest");
        }

        // the same file again adds nothing and posts nothing
        var again = (await AsFinanceAsync(s => s.UploadAsync("ICBC", "icbc-20261111.csv", Encoding.UTF8.GetBytes(file)))).Value!;
        (again.Added, again.AlreadyUploaded).ShouldBe((0, 6));
        (await AsFinanceAsync(s => s.PostMatchedAsync(again.Rows.Select(r => r.Id).ToList()))).Value!.Posted.ShouldBe(0);

        // the suspense list: the ambiguous and the unmatched line; assigning posts them and is audited
        var suspense = await AsFinanceAsync(s => s.SuspenseAsync());
        suspense.Select(r => r.Reference).ShouldBe(["ICBC-1002", "ICBC-1005"]);
        var ambiguous = suspense[0];
        (await AsFinanceAsync(s => s.AssignAsync(ambiguous.Id, "NOPE", ambiguous.Version))).Error!.Code.ShouldBe(ErrorCodes.LoanNotFound);
        (await AsFinanceAsync(s => s.AssignAsync(ambiguous.Id, "BK-B1", ambiguous.Version + 1))).Error!.Code.ShouldBe(ErrorCodes.BankLineChanged);
        var assigned = await AsFinanceAsync(s => s.AssignAsync(ambiguous.Id, "BK-B1", ambiguous.Version));
        assigned.IsSuccess.ShouldBeTrue(assigned.Error?.Message);
        (await AsFinanceAsync(s => s.SuspenseAsync())).Select(r => r.Reference).ShouldBe(["ICBC-1005"]);
        await using (var db = Sql.Db())
        {
            (await db.AuditEntries.AnyAsync(e => e.EntityType == nameof(BankLineRecord) && e.EntityKey == ambiguous.Id.ToString() && e.Action == "Updated" && e.Actor == "user:finance"))
                .ShouldBeTrue();
        }

        // only Finance works on bank files
        await using (var scope = await ActingAs.UserAsync(App.Services, "officer"))
            (await scope.Get<BankFileService>().UploadAsync("ICBC", "x.csv", Encoding.UTF8.GetBytes(file))).Error!.Code.ShouldBe(ErrorCodes.FinanceOnly);
    }
}
