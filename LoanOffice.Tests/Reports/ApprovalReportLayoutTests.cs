using LoanOffice.Web.Features.Reports;
using LoanOffice.Web.Features.Reports.Pdf;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Shouldly;
using UglyToad.PdfPig;

namespace LoanOffice.Tests.Reports;

/// <summary>The approval report's own layout with 30 votes: the vote table's header on every page it spans, size, determinism.</summary>
public sealed class ApprovalReportLayoutTests : IClassFixture<PdfEngineTests.Fonts>
{
    private readonly ApprovalReportRenderer _renderer;

    public ApprovalReportLayoutTests(PdfEngineTests.Fonts fonts) => _renderer = new ApprovalReportRenderer(fonts.Value, Options.Create(new CompanyOptions()), DocumentTerms.Standalone());

    private static readonly DateTimeOffset T0 = new(2026, 11, 20, 9, 0, 0, TimeSpan.FromHours(8));

    private static ApprovalReportContent ThirtyVotes(string customer = "张伟") => new(
        "SQ20261120000001", customer, "330106********0016", "138****8000", "杭州市西湖区", "WEB", "信用贷", "CREDIT", 100_000m, 12, 0.12m, "EqualInstallment",
        "经营周转", T0, "杭州团队", "Centralized", "客户经营餐饮店三年，现场走访属实。",
        [new ReportStep(T0, "Submitted", "PreliminaryReview", "start-review", "审贷员 周静 (reviewer)", "资料齐全")],
        Enumerable.Range(1, 30).Select(i => new ReportVote(1, $"审批人员 {i:00}", i % 5 != 0, 100_000m + i * 500m, 12, $"第{i}条意见：还款来源充足。", T0.AddMinutes(i))).ToList(),
        new ReportAggregation(1, "Decided", 100_000m, 12, "minimum", "median", "amounts within 10 %: the minimum", null, null),
        null, null, "FinalReview", 100_000m, 12, 0.12m, "minimum / median", null);

    private byte[] Render(ApprovalReportContent content) =>
        _renderer.Render("BG20261120000001", "合规 何平 (compliance)", T0.AddHours(1), content, new string('b', 64), "https://loans.example.cn/verify/BG20261120000001?h=" + new string('b', 64));

    [Fact]
    public void ThirtyVotes_TheVoteTableHeaderIsOnEveryPageItSpans_PagesAreNumbered_AndTheFileIsSmallAndStable()
    {
        var pdf = Render(ThirtyVotes());
        Render(ThirtyVotes()).ShouldBe(pdf, "the same input gives identical bytes");
        pdf.Length.ShouldBeLessThan(300 * 1024);
        using var document = PdfDocument.Open(pdf);
        var pages = document.GetPages().Select(p => p.Text.Replace(" ", "", StringComparison.Ordinal)).ToList();
        pages.Count.ShouldBeGreaterThanOrEqualTo(2);
        var first = pages.FindIndex(p => p.Contains("审批人员01", StringComparison.Ordinal));
        var last = pages.FindIndex(p => p.Contains("审批人员30", StringComparison.Ordinal));
        (last > first).ShouldBeTrue("the 30 votes span pages");
        for (var i = first; i <= last; i++) pages[i].ShouldContain("审批人Approver结论Vote", Case.Sensitive, $"vote table header on page {i + 1}");
        for (var i = 0; i < pages.Count; i++) pages[i].ShouldContain($"第{i + 1}页/共{pages.Count}页");
        string.Concat(pages).ShouldContain("第30条意见：还款来源充足。");
    }

    [Fact]
    public void ACustomerWithAnExtensionBCharacter_ExtractsCorrectlyFromTheReport()
    {
        using var document = PdfDocument.Open(Render(ThirtyVotes(customer: "𠮷永明")));
        document.GetPage(1).Text.Replace(" ", "", StringComparison.Ordinal).ShouldContain("𠮷永明");
    }
}
