using LoanOffice.Web.Features.Reports.Pdf;
using Microsoft.Extensions.Logging.Abstractions;
using Shouldly;
using UglyToad.PdfPig;

namespace LoanOffice.Tests.Reports;

/// <summary>The PDF layout layer: Chinese text that extracts, repeated table headers, page numbers, size, determinism.</summary>
public sealed class PdfEngineTests : IClassFixture<PdfEngineTests.Fonts>
{
    public sealed class Fonts : IDisposable
    {
        public PdfFonts Value { get; } = new(new PdfFontOptions(), NullLogger<PdfFonts>.Instance);
        public void Dispose() => Value.Dispose();
    }

    private readonly PdfFonts _fonts;

    public PdfEngineTests(Fonts fonts) => _fonts = fonts.Value;

    private static readonly DateTimeOffset Generated = new(2026, 11, 23, 10, 0, 0, TimeSpan.FromHours(8));

    private byte[] ThirtyVoteReport()
    {
        var pdf = new PdfDocumentBuilder(_fonts) { HeaderLeft = "杭州小额贷款有限公司 · 审批报告", HeaderRight = "BG2026112300001", FooterLeft = "校验码 3F9A·C21B" };
        pdf.Heading("审批报告（Approval report）");
        pdf.KeyValues([("申请编号", "SQ20261123000001"), ("客户", "张伟"), ("身份证号", "330106********0016"), ("申请金额", "¥100,000.00"),
            ("期限", "12 个月"), ("产品", "信用贷 CREDIT")]);
        pdf.Paragraph("调查摘要：客户经营一家位于杭州市西湖区的餐饮店，经营三年，月均流水约十五万元。现场走访确认经营场所真实，库存与申报一致。申请资金用于门店装修及补充流动资金。");
        pdf.Table(["#", "审批人", "结论", "金额", "期限", "意见", "时间"], [0.4f, 1.4f, 0.8f, 1.1f, 0.6f, 3f, 1.5f],
            Enumerable.Range(1, 30).Select(i => (IReadOnlyList<string>)[i.ToString(System.Globalization.CultureInfo.InvariantCulture), $"审批人员 {i:00}", i % 3 == 0 ? "拒绝" : "同意",
                "100,000.00", "12", $"第{i}条意见：经营稳定，还款来源充足，同意按申请金额发放。Comments are kept verbatim in English too.", "2026-11-23 10:" + (i % 60).ToString("00", System.Globalization.CultureInfo.InvariantCulture)]));
        pdf.Box("审批结论", ["同意发放：¥100,000.00，12 个月，年利率 12.00 %。", "终审：主管审批 郑强，2026-11-23。"]);
        return pdf.Render(new PdfMeta("审批报告 BG2026112300001", "LoanOffice", Generated));
    }

    [Fact]
    public void AThirtyVoteReport_RepeatsTheTableHeaderOnEveryPage_NumbersThePages_AndExtractsInChinese()
    {
        var bytes = ThirtyVoteReport();
        using var document = PdfDocument.Open(bytes);
        var pages = document.GetPages().ToList();
        pages.Count.ShouldBeGreaterThanOrEqualTo(2);
        for (var i = 0; i < pages.Count; i++)
        {
            var text = pages[i].Text.Replace(" ", "", StringComparison.Ordinal);
            text.ShouldContain($"第{i + 1}页/共{pages.Count}页");
            text.ShouldContain("审批人结论金额期限意见时间", Case.Sensitive, $"the table header on page {i + 1}");
            text.ShouldContain("BG2026112300001");
        }

        var all = string.Concat(pages.Select(p => p.Text.Replace(" ", "", StringComparison.Ordinal)));
        foreach (var expected in new[] { "审批报告", "张伟", "330106********0016", "¥100,000.00", "信用贷CREDIT", "西湖区的餐饮店", "审批人员30", "审批结论", "主管审批郑强" })
            all.ShouldContain(expected);
        document.Information.Title.ShouldBe("审批报告 BG2026112300001");
    }

    [Fact]
    public void TheSameInput_GivesTheSameBytes_AndAThreePageReportStaysSmall()
    {
        var first = ThirtyVoteReport();
        var second = ThirtyVoteReport();
        LoanOffice.Tests.Support.TestPdfs.Save("engine-30-votes", first);
        second.ShouldBe(first);
        using var document = PdfDocument.Open(first);
        document.NumberOfPages.ShouldBeLessThanOrEqualTo(3);
        first.Length.ShouldBeLessThan(300 * 1024, "fonts are subset, not embedded whole");
    }

    [Fact]
    public void ANameWithAnExtensionBCharacter_PrintsThroughTheFallbackFace_AndExtractsCorrectly()
    {
        _fonts.HasFallback.ShouldBeTrue("fonts-noto-cjk is installed by ./loanoffice");
        var pdf = new PdfDocumentBuilder(_fonts);
        pdf.Paragraph("客户：𠮷永明");
        using var document = PdfDocument.Open(pdf.Render(new PdfMeta("t", "t", Generated)));
        document.GetPage(1).Text.Replace(" ", "", StringComparison.Ordinal).ShouldContain("客户：𠮷永明");
    }

    [Fact]
    public void LinesBreakBetweenCjkCharacters_KeepLatinWordsWhole_AndNeverStartWithClosingPunctuation()
    {
        var pdf = new PdfDocumentBuilder(_fonts);
        var width = pdf.Measure("一二三四五六七八九", 10f, false); // nine characters: "九，" does not fit after the eighth
        var lines = pdf.Wrap("一二三四五六七八九，十一二三。Approval report 审批", width, 10f, false);
        lines.ShouldAllBe(l => pdf.Measure(l, 10f, false) <= width + 0.01f);
        lines.Skip(1).ShouldAllBe(l => !"，。、；：）」".Contains(l[0]));
        lines[0].ShouldBe("一二三四五六七八");
        lines[1].ShouldStartWith("九，");
        lines.ShouldContain(l => l.Contains("Approval", StringComparison.Ordinal) && !l.EndsWith("Appro", StringComparison.Ordinal));
        string.Concat(lines).Replace(" ", "", StringComparison.Ordinal).ShouldBe("一二三四五六七八九，十一二三。Approvalreport审批");
    }

    [Fact]
    public void ASubsetHoldsOnlyWhatIsPrinted()
    {
        var subset = _fonts.Subset(FaceKind.Regular, "张伟".EnumerateRunes().Select(r => r.Value));
        subset.Length.ShouldBeLessThan(20_000, "two glyphs, not the 10 MB face");
        using var data = SkiaSharp.SKData.CreateCopy(subset);
        using var typeface = SkiaSharp.SKTypeface.FromData(data);
        using var font = new SkiaSharp.SKFont(typeface);
        font.ContainsGlyphs("张伟").ShouldBeTrue();
        font.ContainsGlyph('李').ShouldBeFalse();
        _fonts.SelfTest(); // what start-up runs
    }
}
