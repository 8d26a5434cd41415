using LoanOffice.Web.Hosting;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LoanOffice.Data;
using LoanOffice.Data.Reports;
using LoanOffice.Domain.Common;
using LoanOffice.Web.Components.Shared;
using LoanOffice.Web.Features.Applications;
using LoanOffice.Web.Features.Reports.Pdf;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using QRCoder;

namespace LoanOffice.Web.Features.Reports;

public sealed class CompanyOptions
{
    public string Name { get; set; } = "杭州西湖小额贷款股份有限公司";

    /// <summary>
    /// The address the public verify page is reached at, printed with the QR code in official documents: from
    /// configuration only, never the request's Host header (which anyone can forge).
    /// </summary>
    public string PublicBaseUrl { get; set; } = "http://127.0.0.1:5080";
}

/// <summary>What an approval report states, as of its generation: the canonical content its hash covers.</summary>
public sealed record ApprovalReportContent(
    string ApplicationNumber, string Customer, string ResidentIdMasked, string MobileMasked, string District, string Channel,
    string Product, string ProductCode, decimal RequestedAmount, int RequestedMonths, decimal ProposedRate, string Method, string Purpose,
    DateTimeOffset ReceivedAt, string Team, string ApprovalMode, string? InvestigationNotes,
    IReadOnlyList<ReportStep> Steps, IReadOnlyList<ReportVote> Votes, ReportAggregation? Aggregation, ReportCommittee? Committee,
    ReportStep? FinalReview, string State, decimal? ApprovedAmount, int? ApprovedMonths, decimal? ApprovedRate, string? ApprovalRule, string? Conditions);

public sealed record ReportStep(DateTimeOffset At, string From, string To, string Action, string Actor, string? Comment);

public sealed record ReportVote(int Round, string Approver, bool Approve, decimal? Amount, int? Months, string? Comment, DateTimeOffset CastAt);

public sealed record ReportAggregation(int Round, string Outcome, decimal? Amount, int? Months, string? AmountRule, string? TermRule, string Explanation,
    string? SettledBy, string? SettlementComment)
{
    /// <summary>
    /// The decision itself, so the PDF can write the rule in Chinese from its structured basis. Not part of the hashed
    /// content (the reports already issued keep verifying): the explanation above is what the hash covers.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public LoanOffice.Data.Origination.ApprovalDecisionRecord? Decision { get; init; }
}

public sealed record ReportCommittee(DateOnly MeetingDate, IReadOnlyList<string> Members, bool? Approved, decimal? Amount, int? Months, decimal? AnnualRate,
    string? Conditions, string MemberVotes);

public sealed record GeneratedReport(string Number, string Hash, byte[] Pdf)
{
    /// <summary>The latest report of the file still said the same: it was rendered again, nothing new was recorded.</summary>
    public bool Reused { get; init; }
}

/// <summary>
/// What the public verify page may show: without the right code nothing but "enter the code" (no staff name ever: the
/// generator's roles and the date once the code matches).
/// </summary>
public sealed record Verification(bool Found, string Number, string? ApplicationNumber, IReadOnlyList<string> GeneratedByRoles, DateTimeOffset? GeneratedAt,
    bool CodeGiven, bool CodeMatches, bool RecordMatches);

/// <summary>
/// 审批报告: the PDF an application's approval is documented by. Its content is gathered as of the generation time,
/// serialized canonically and hashed with the report number (SHA-256); the hash is recorded, shortened in the footer as
/// the verification code, and put in full in the QR code pointing to <c>/verify/{number}?h=…</c>. Verification
/// rebuilds the content from the records as they stand and compares.
/// </summary>
public sealed class ApprovalReportService(ActorContext context, ApprovalReportRenderer renderer, Microsoft.Extensions.Options.IOptions<CompanyOptions> company)
{
    private static readonly JsonSerializerOptions Canonical = new() { WriteIndented = false };

    /// <summary>
    /// Generates and records a report (number, hash, who, when), or — when the file's latest report still states
    /// what the record says now — renders that one again without recording anything.
    /// </summary>
    public async Task<Result<GeneratedReport>> GenerateAsync(Guid applicationId, CancellationToken ct = default)
    {
        var actor = await context.ActorAsync(ct);
        if (actor is null) return ActorContext.NotSignedIn;
        var scope = await context.ScopeAsync(ct);
        await using var db = await context.OpenAsync(ct);
        var app = await db.Applications.AsNoTracking().Where(a => a.Id == applicationId).Select(a => new { a.TeamId, a.AssignedOfficerId, a.State }).SingleOrDefaultAsync(ct);
        if (app is null) return ActorContext.NotFound;
        if (!ActorContext.MaySee(scope, app.TeamId, app.AssignedOfficerId, app.State)) return ActorContext.OutOfScope;

        var generatedAt = ToMicroseconds(context.Now);
        var latest = await db.ApprovalReports.AsNoTracking().Where(r => r.ApplicationId == applicationId)
            .OrderByDescending(r => r.GeneratedAt).FirstOrDefaultAsync(ct);
        if (latest is not null)
        {
            var now = await ContentAsync(db, applicationId, generatedAt, ct);
            if (Hash(latest.Number, latest.GeneratedByName, latest.GeneratedAt, now) == latest.Hash)
                return new GeneratedReport(latest.Number, latest.Hash,
                    renderer.Render(latest.Number, latest.GeneratedByName, latest.GeneratedAt, now, latest.Hash, VerifyUrl(latest.Number, latest.Hash))) { Reused = true };
        }

        var sequence = await db.Database.SqlQuery<long>($"SELECT nextval('approval_report_number_seq') AS \"Value\"").SingleAsync(ct);
        var number = "BG" + Fmt.ToChina(generatedAt).ToString("yyyyMMdd", CultureInfo.InvariantCulture) + sequence.ToString("D6", CultureInfo.InvariantCulture);
        var content = await ContentAsync(db, applicationId, generatedAt, ct);
        var hash = Hash(number, actor.Name, generatedAt, content);
        db.ApprovalReports.Add(new ApprovalReportRecord
        {
            Id = Guid.CreateVersion7(), Number = number, ApplicationId = applicationId, Hash = hash,
            GeneratedBy = actor.UserId, GeneratedByName = actor.Name, GeneratedAt = generatedAt,
        });
        await db.SaveChangesAsync(ct);
        return new GeneratedReport(number, hash, renderer.Render(number, actor.Name, generatedAt, content, hash, VerifyUrl(number, hash)));
    }

    private string VerifyUrl(string number, string hash) => $"{company.Value.PublicBaseUrl.TrimEnd('/')}/verify/{number}?h={hash}";

    /// <summary>Does <paramref name="code"/> belong to report <paramref name="number"/>, and does the record still say what the report says?</summary>
    public async Task<Verification> VerifyAsync(string number, string? code, CancellationToken ct = default)
    {
        await using var db = await context.OpenAsync(ct);
        var report = await db.ApprovalReports.AsNoTracking().SingleOrDefaultAsync(r => r.Number == number, ct);
        var normalized = NormalizeCode(code);
        // without the right code nothing is told, not even whether the number exists (numbers follow a sequence)
        if (normalized.Length == 0) return new Verification(false, number, null, [], null, false, false, false);
        var codeMatches = report is not null && normalized.Length >= 16 && report.Hash.StartsWith(normalized, StringComparison.Ordinal);
        if (!codeMatches || report is null) return new Verification(false, number, null, [], null, true, false, false);
        var applicationNumber = await db.Applications.Where(a => a.Id == report.ApplicationId).Select(a => a.Number).SingleAsync(ct);
        var roles = await (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id where ur.UserId == report.GeneratedBy orderby r.Name select r.Name!).ToListAsync(ct);
        var current = Hash(report.Number, report.GeneratedByName, report.GeneratedAt, await ContentAsync(db, report.ApplicationId, report.GeneratedAt, ct));
        return new Verification(true, number, applicationNumber, roles, report.GeneratedAt, true, true, current == report.Hash);
    }

    /// <summary>A code as people type it: spaces, the dots and dashes of the printed groups and letter case do not matter.</summary>
    public static string NormalizeCode(string? code) =>
        new string((code ?? string.Empty).Where(c => !char.IsWhiteSpace(c) && c is not '·' and not '-' and not '.').ToArray()).ToLowerInvariant();

    /// <summary>The verification code printed in the footer: the hash's first 16 hex digits in groups of four.</summary>
    public static string ShortCode(string hash) => string.Join('·', Enumerable.Range(0, 4).Select(i => hash.Substring(i * 4, 4).ToUpperInvariant()));

    /// <summary>PostgreSQL keeps microseconds: the stored generation time must hash the same when read back.</summary>
    private static DateTimeOffset ToMicroseconds(DateTimeOffset t) => new(t.Ticks - t.Ticks % 10, t.Offset);

    private static string Hash(string number, string generatedBy, DateTimeOffset generatedAt, ApprovalReportContent content)
    {
        var canonical = number + "\n" + generatedBy + "\n" + generatedAt.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture) + "\n" + JsonSerializer.Serialize(content, Canonical);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    /// <summary>The report's content from the records, with the steps, votes and decisions that existed at <paramref name="asOf"/>.</summary>
    public static async Task<ApprovalReportContent> ContentAsync(LoanOfficeDbContext db, Guid applicationId, DateTimeOffset asOf, CancellationToken ct = default)
    {
        var a = await db.Applications.AsNoTracking().Include(x => x.Transitions).SingleAsync(x => x.Id == applicationId, ct);
        var customer = await db.Customers.AsNoTracking().Where(c => c.Id == a.CustomerId).Select(c => new { c.Name, c.ResidentIdMasked, c.MobileMasked }).SingleAsync(ct);
        var product = await db.Products.AsNoTracking().Where(p => p.Id == a.ProductId).Select(p => p.Name).SingleAsync(ct);
        var team = await db.Teams.AsNoTracking().Where(t => t.Id == a.TeamId).Select(t => new { t.Name, t.ApprovalMode }).SingleAsync(ct);
        var steps = a.Transitions.Where(t => t.At <= asOf).OrderBy(t => t.At).ThenBy(t => t.Id)
            .Select(t => new ReportStep(t.At, t.From.ToString(), t.To.ToString(), t.Name, t.ActorName, t.Comment)).ToList();
        var votes = await db.ApprovalVotes.AsNoTracking().Where(v => v.ApplicationId == applicationId && v.CastAt <= asOf).OrderBy(v => v.Round).ThenBy(v => v.CastAt)
            .Select(v => new ReportVote(v.Round, v.ApproverName, v.Approve, v.Amount, v.Months, v.Comment, v.CastAt)).ToListAsync(ct);
        var decision = await db.ApprovalDecisions.AsNoTracking().Where(d => d.ApplicationId == applicationId && d.DecidedAt <= asOf).OrderByDescending(d => d.Round).FirstOrDefaultAsync(ct);
        var committee = await (from i in db.CommitteeAgendaItems
                               join m in db.CommitteeMeetings on i.MeetingId equals m.Id
                               where i.ApplicationId == applicationId && i.RecordedAt != null && i.RecordedAt <= asOf
                               orderby i.RecordedAt descending
                               select new ReportCommittee(m.MeetingDate, m.Members, i.Approved, i.Amount, i.Months, i.AnnualRate, i.Conditions, i.MemberVotes)).FirstOrDefaultAsync(ct);
        var final = steps.LastOrDefault(s => s.From == nameof(Domain.Applications.ApplicationState.FinalReview));
        return new ApprovalReportContent(a.Number, customer.Name, customer.ResidentIdMasked, customer.MobileMasked, a.District, a.Channel, product, a.ProductCode,
            a.RequestedAmount, a.RequestedMonths, a.ProposedRate, a.Method.ToString(), a.Purpose, a.ReceivedAt, team.Name, team.ApprovalMode.ToString(), a.InvestigationNotes,
            steps, votes,
            decision is null ? null : new ReportAggregation(decision.Round, decision.Outcome, decision.Amount, decision.Months, decision.AmountRule, decision.TermRule,
                decision.Explanation, decision.SettledByName, decision.SettlementComment) { Decision = decision },
            committee, final, a.State.ToString(), a.ApprovedAmount, a.ApprovedMonths, a.ApprovedRate, a.ApprovalRule, a.ApprovalConditions);
    }
}

/// <summary>Lays out an approval report's content as the PDF (also used by the benchmark with synthetic content).</summary>
public sealed class ApprovalReportRenderer(PdfFonts fonts, IOptions<CompanyOptions> company, DocumentTerms terms)
{
    public byte[] Render(string number, string generatedBy, DateTimeOffset generatedAt, ApprovalReportContent c, string hash, string verifyUrl)
    {
        static string M(decimal? v) => v is { } d ? "¥" + PdfDocumentBuilder.Money(d) : "—";
        static string T(DateTimeOffset t) => Fmt.ToChina(t).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        static string R(decimal? r) => r is { } v ? (v * 100m).ToString("0.00", CultureInfo.InvariantCulture) + " %" : "—";
        // a move the aggregation or a settlement recorded carries the decision's explanation: written in Chinese from the decision
        string StepComment(string? comment) =>
            c.Aggregation?.Decision is { } decided && comment is not null && decided.Explanation.Length > 0 && comment.StartsWith(decided.Explanation, StringComparison.Ordinal)
                ? terms.Rule(decided) : comment ?? "";
        var pdf = new PdfDocumentBuilder(fonts)
        {
            HeaderLeft = company.Value.Name + " · 审批报告 Approval report",
            HeaderRight = number,
            FooterLeft = $"校验码 Verification {ApprovalReportService.ShortCode(hash)} · {verifyUrl.Split('?')[0]}",
            FooterImage = Qr(verifyUrl),
        };
        pdf.Heading("审批报告 Approval report", 16f);
        pdf.KeyValues([("报告编号 Report", number), ("生成时间 Generated", T(generatedAt)), ("生成人 By", generatedBy), ("申请编号 Application", c.ApplicationNumber)]);
        pdf.Heading("客户与申请 Customer and request", 12f);
        pdf.KeyValues([
            ("客户 Customer", c.Customer), ("身份证号 ID", c.ResidentIdMasked), ("手机 Mobile", c.MobileMasked), ("地区 District", c.District),
            ("产品 Product", $"{c.Product} ({c.ProductCode})"), ("还款方式 Method", terms.Of("Method", c.Method)), ("申请金额 Amount", M(c.RequestedAmount)),
            ("期限 Term", $"{c.RequestedMonths} 个月 months"), ("年利率 Rate", R(c.ProposedRate)), ("用途 Purpose", c.Purpose),
            ("团队 Team", $"{c.Team} · {terms.Of("ApprovalMode", c.ApprovalMode)}"), ("受理 Received", $"{T(c.ReceivedAt)} · {terms.Of("Channel", c.Channel)}"),
        ]);
        pdf.Heading("调查摘要 Investigation", 12f);
        pdf.Paragraph(string.IsNullOrWhiteSpace(c.InvestigationNotes) ? "—" : c.InvestigationNotes);
        pdf.Heading("审查步骤 Review steps", 12f);
        pdf.Table(["时间 Time", "环节 Step", "经办 By", "意见 Comment"], [1.3f, 2.2f, 1.6f, 3f],
            c.Steps.Select(s => (IReadOnlyList<string>)[T(s.At), $"{terms.Of("State", s.From)} → {terms.Of("State", s.To)}", terms.Actor(s.Actor), StepComment(s.Comment)]));
        if (c.Votes.Count > 0)
        {
            pdf.Heading("审批投票 Votes", 12f);
            pdf.Table(["轮次 Round", "审批人 Approver", "结论 Vote", "金额 Amount", "期限 Term", "意见 Comment", "时间 Time"], [0.7f, 1.5f, 0.9f, 1.3f, 0.8f, 2.4f, 1.3f],
                c.Votes.Select(v => (IReadOnlyList<string>)[v.Round.ToString(CultureInfo.InvariantCulture), v.Approver, v.Approve ? "同意 Approve" : "拒绝 Reject",
                    M(v.Amount), v.Months?.ToString(CultureInfo.InvariantCulture) ?? "—", v.Comment ?? "", T(v.CastAt)]));
        }

        if (c.Aggregation is { } g)
        {
            pdf.Heading("汇总规则 Aggregation", 12f);
            pdf.KeyValues([("结果 Outcome", terms.Of("Outcome", g.Outcome)), ("金额 Amount", M(g.Amount)), ("期限 Term", g.Months?.ToString(CultureInfo.InvariantCulture) ?? "—"),
                ("规则 Rule", $"{terms.Of("AmountRule", g.AmountRule ?? "—")} / {terms.Of("TermRule", g.TermRule ?? "—")}")]);
            pdf.Paragraph(g.Decision is { } d ? terms.Rule(d) : g.Explanation);
            if (g.SettledBy is not null && g.Decision is null) pdf.Paragraph($"争议裁定 Settled by {g.SettledBy}: {g.SettlementComment}");
        }

        if (c.Committee is { } m)
        {
            pdf.Heading("审贷会决议 Committee decision", 12f);
            pdf.KeyValues([("会议日期 Meeting", m.MeetingDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), ("成员 Members", string.Join("、", m.Members)),
                ("决议 Decision", m.Approved == true ? "同意 Approve" : m.Approved == false ? "否决 Reject" : "—"), ("金额 Amount", M(m.Amount)),
                ("期限 Term", m.Months?.ToString(CultureInfo.InvariantCulture) ?? "—"), ("年利率 Rate", R(m.AnnualRate)), ("条件 Conditions", m.Conditions ?? "—")], columns: 2);
            var members = JsonSerializer.Deserialize<List<CommitteeMemberVote>>(m.MemberVotes) ?? [];
            if (members.Count > 0)
                pdf.Table(["成员 Member", "表决 Vote", "意见 Comment"], [1.5f, 1f, 4f], members.Select(v => (IReadOnlyList<string>)[v.Member, v.Approve ? "同意 Approve" : "反对 Against", v.Comment ?? ""]));
        }

        pdf.Heading("终审 Final review", 12f);
        pdf.Paragraph(c.FinalReview is { } f ? $"{f.Actor} · {T(f.At)} · {terms.Of("State", f.To)} · {f.Comment}" : "尚未终审 Not yet reviewed");
        pdf.Box("审批结论 Decision", c.ApprovedAmount is { } amount
            ? [$"批准金额 Approved amount: {M(amount)}", $"期限 Term: {c.ApprovedMonths} 个月 months · 年利率 Rate: {R(c.ApprovedRate)}", $"依据 Basis: {(c.Aggregation?.Decision is { } basis && c.ApprovalRule is { } rule && rule.StartsWith(basis.Explanation, StringComparison.Ordinal) ? terms.Rule(basis) : c.ApprovalRule)}",
               $"条件 Conditions: {c.Conditions ?? "—"}", $"状态 State: {terms.Of("State", c.State)}"]
            : [$"状态 State: {terms.Of("State", c.State)}"]);
        return pdf.Render(new PdfMeta($"审批报告 {number}", generatedBy, generatedAt, $"Approval report of {c.ApplicationNumber}"));
    }

    private static byte[] Qr(string url)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(url, QRCodeGenerator.ECCLevel.M);
        return new PngByteQRCode(data).GetGraphic(4);
    }
}
