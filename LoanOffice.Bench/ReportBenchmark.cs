using System.Diagnostics;
using System.Globalization;
using LoanOffice.Web.Features.Reports;
using LoanOffice.Web.Features.Reports.Pdf;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LoanOffice.Bench;

/// <summary>
/// Approval report generation: a 3-page report (12 votes and 11 review steps) rendered N times one after another
/// (median, p95) and 100 at once (errors, wall time), and the PDF's size.
/// </summary>
public static class ReportBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var runs = QueueBenchmark.Arg(args, "--runs") is { } r ? int.Parse(r, CultureInfo.InvariantCulture) : 300;
        using var fonts = new PdfFonts(new PdfFontOptions(), NullLogger<PdfFonts>.Instance);
        fonts.SelfTest();
        var renderer = new ApprovalReportRenderer(fonts, Options.Create(new CompanyOptions()), DocumentTerms.Standalone());
        var content = Content();
        var hash = new string('a', 64);
        byte[] Render() => renderer.Render("BG20261123000001", "合规 何平 (compliance)", DateTimeOffset.UtcNow, content, hash, "https://loans.example.cn/verify/BG20261123000001?h=" + hash);

        var sample = Render();
        using (var doc = UglyToad.PdfPig.PdfDocument.Open(sample))
            Console.WriteLine($"report: {doc.NumberOfPages} pages, {sample.Length / 1024.0:0.0} KB");
        for (var i = 0; i < 20; i++) Render(); // warm-up (JIT, font caches)

        var times = new List<double>(runs);
        for (var i = 0; i < runs; i++)
        {
            var sw = Stopwatch.StartNew();
            Render();
            times.Add(sw.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        Console.WriteLine($"sequential, {runs} reports: median {times[times.Count / 2]:0.0} ms, p95 {times[(int)(times.Count * 0.95)]:0.0} ms, max {times[^1]:0.0} ms");

        var errors = 0;
        var wall = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => Task.Run(() =>
        {
            try
            {
                var pdf = Render();
                if (pdf.Length < 1000 || pdf[0] != (byte)'%') Interlocked.Increment(ref errors);
            }
            catch (Exception ex)
            {
                Console.Error.WriteLine(ex.Message);
                Interlocked.Increment(ref errors);
            }
        })));
        Console.WriteLine($"100 at once: {errors} errors, {wall.Elapsed.TotalSeconds:0.00} s wall ({100 / wall.Elapsed.TotalSeconds:0} reports/s)");
        return errors == 0 ? 0 : 1;
    }

    private static ApprovalReportContent Content()
    {
        var t0 = new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.FromHours(8));
        string[] states = ["Received", "Pool", "Assigned", "Collecting", "Submitted", "PreliminaryReview", "Approval", "FinalReview", "Approved", "Contracted", "Disbursed", "Archived"];
        var steps = states.Skip(1).Select((s, i) => new ReportStep(t0.AddHours(i), states[i], s, "step-" + i, "客户经理 孙伟 (officer)", i % 2 == 0 ? "资料齐全，同意进入下一环节。" : null)).ToList();
        var votes = Enumerable.Range(1, 12).Select(i => new ReportVote(1 + i / 10, $"审批人员 {i:00}", i % 4 != 0, 100_000m + i * 1000m, 12,
            $"第{i}条意见：经营稳定，还款来源充足，同意按申请金额发放。", t0.AddHours(12).AddMinutes(i))).ToList();
        return new ApprovalReportContent("SQ20261120000001", "张伟", "330106********0016", "138****8000", "杭州市西湖区", "WEB", "信用贷", "CREDIT",
            100_000m, 12, 0.12m, "EqualInstallment", "门店装修及补充流动资金", t0, "杭州团队", "Centralized",
            "客户经营一家位于杭州市西湖区的餐饮店，经营三年，月均流水约十五万元。现场走访确认经营场所真实，库存与申报一致。", steps, votes,
            new ReportAggregation(3, "Decided", 100_000m, 12, "minimum", "median", "amounts within 10 %: the minimum; terms: the median", null, null),
            null, steps[^3], "Disbursed", 100_000m, 12, 0.12m, "minimum / median", null);
    }
}
