using System.Text.Json;
using System.Text.Json.Nodes;
using LoanOffice.Domain.Loans;
using LoanOffice.Web.Features.Applications;
using LoanOffice.Web.Features.Calculator;
using LoanOffice.Web.Features.Servicing;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace LoanOffice.Web.Features.Api;

/// <summary>
/// The examples in the API document: typed values of the API's own request and answer types (serialized like the
/// API answers, so an example cannot drift from its schema), one loan throughout — 12,000 at 18 % over 12 months,
/// equal installments of 1,100.16 from 2025-03-08.
/// </summary>
public static class ApiExamples
{
    private static readonly DateOnly Disbursed = new(2025, 3, 8);

    /// <summary>The example loan's schedule, by the domain, so the examples' figures are the real ones.</summary>
    private static readonly RepaymentSchedule Schedule = ScheduleCalculator.Build(RepaymentMethod.EqualInstallment, 12_000m, 0.18m, 12, Disbursed).Value!;

    private static readonly PrepaymentQuote Quote = Prepayment.Quote(Schedule, new DateOnly(2025, 5, 20), 5_000m, PrepaymentOption.ShortenTerm).Value!;

    private static readonly Dictionary<Type, object> ByType = new()
    {
        [typeof(ApiLoan)] = new ApiLoan("JK2025030800012", "张*", "杭州团队", "李四", "SQ20250301000042", "Active", "Normal", 0, new DateOnly(2025, 4, 20),
            12_000m, 0.18m, 12, nameof(RepaymentMethod.EqualInstallment), Disbursed, 0.50m, 3, new ApiBalances(11_079.84m, 0m, 0m, 0m), 0m, 0m,
            [.. Schedule.Installments.Take(3).Select(i => new ApiInstallment(i.Number, i.DueDate, i.Principal, i.Interest,
                i.Number == 1 ? i.Principal : 0m, i.Number == 1 ? i.Interest : 0m, i.Number == 1 ? "paid" : "open"))],
            JsonDocument.Parse("""{"productCode":"XYD","productName":"信用贷"}""").RootElement.Clone()),
        [typeof(PrepaymentQuote)] = Quote,
        [typeof(PrepaymentAnswer)] = new PrepaymentAnswer(Quote, "BANK-20250520-000456", false),
        [typeof(RepaymentRequest)] = new RepaymentRequest(new DateOnly(2025, 4, 8), 1_100.16m, "BankTransfer", "BANK-20250408-000123"),
        [typeof(RepaymentAnswer)] = new RepaymentAnswer(Guid.Parse("0195a1f2-3c4d-7e5f-8a9b-0c1d2e3f4a5b"), "BANK-20250408-000123",
            [new ApiAllocationLine("CurrentInterest", 1, 180.00m), new ApiAllocationLine("CurrentPrincipal", 1, 920.16m)], false, false),
        [typeof(ReversalRequest)] = new ReversalRequest("银行退回：账户信息有误"),
        [typeof(PrepaymentRequest)] = new PrepaymentRequest(new DateOnly(2025, 5, 20), 5_000m, nameof(PrepaymentOption.ShortenTerm), "BankTransfer", "BANK-20250520-000456"),
        [typeof(CloseRequest)] = new CloseRequest(new DateOnly(2025, 4, 7)),
        [typeof(Field.DeviceRegistration)] = new Field.DeviceRegistration("officer", "••••••••", null, "华为 Mate 60"),
        [typeof(Field.DeviceRegistered)] = new Field.DeviceRegistered(Guid.Parse("0195a1f2-3c4d-7e5f-8a9b-0c1d2e3f4a5c"), "q3k9yN0lX0m2c6dJ9bQ1r7tV5uW8zA4eF2gH6iK0oP8=", "officer"),
        [typeof(Field.WorkdayMark)] = new Field.WorkdayMark(new DateTimeOffset(2025, 4, 8, 0, 30, 0, TimeSpan.Zero), 30.2741, 120.1551, 8),
        [typeof(Field.WorkdayState)] = new Field.WorkdayState(Guid.Parse("0195a1f2-3c4d-7e5f-8a9b-0c1d2e3f4a5d"), new DateTimeOffset(2025, 4, 8, 0, 30, 0, TimeSpan.Zero), null),
        [typeof(Field.PingBatch)] = new Field.PingBatch(null, [new Field.PingPoint(1, new DateTimeOffset(2025, 4, 8, 0, 31, 0, TimeSpan.Zero), 30.2750, 120.1560, 12, 1.2, "Gps", false)]),
        [typeof(Field.PingOutcome)] = new Field.PingOutcome(1, 0, [new Field.PingRefused(1, 2, "accuracy", Domain.Common.ErrorCodes.FieldPingAccuracyWorse,
            Hosting.ErrorText.Render(Domain.Common.Error.Of(Domain.Common.ErrorCodes.FieldPingAccuracyWorse, 500), System.Globalization.CultureInfo.GetCultureInfo("zh-CN")))]),
        [typeof(Field.FieldHeartbeat)] = new Field.FieldHeartbeat(true, 76, "4G"),
        [typeof(Field.RevokeDevice)] = new Field.RevokeDevice(1234),
        [typeof(Field.VisitReport)] = new Field.VisitReport(Domain.Field.VisitKind.Collection, null, Guid.Parse("0195a1f2-3c4d-7e5f-8a9b-0c1d2e3f4a60"),
            new DateTimeOffset(2025, 4, 20, 2, 15, 0, TimeSpan.Zero), 30.2743, 120.1553, Note: "上门催收，借款人承诺月底前还款"),
        [typeof(Field.VisitRow)] = new Field.VisitRow(Guid.Parse("0195a1f2-3c4d-7e5f-8a9b-0c1d2e3f4a61"), Guid.Parse("0195a1f2-3c4d-7e5f-8a9b-0c1d2e3f4a62"), "孙伟 (officer)",
            Domain.Field.VisitKind.Collection, new DateTimeOffset(2025, 4, 20, 2, 15, 0, TimeSpan.Zero), true, 38.5, Domain.Field.VisitBasis.Track, 200, "上门催收，借款人承诺月底前还款"),
        [typeof(Field.FieldDocument)] = new Field.FieldDocument("上门照片", "door.jpg", "/9j/4AAQSkZJRgABAQ…", 30.2741, 120.1551, new DateTimeOffset(2025, 3, 3, 6, 40, 0, TimeSpan.Zero)),
        [typeof(Field.LeaveForm)] = new Field.LeaveForm(Domain.Field.LeaveType.Sick, new DateOnly(2025, 4, 21), new DateOnly(2025, 4, 22), "发烧，医院就诊"),
        [typeof(ApiLoanRow)] = new ApiLoanRow("JK2025030800012", "张*", "杭州团队", 12_000m, 11_079.84m, 0, "Normal", "Active", Disbursed),
        [typeof(ApiBalances)] = new ApiBalances(11_079.84m, 0m, 0m, 0m),
        [typeof(ApiInstallment)] = new ApiInstallment(1, new DateOnly(2025, 4, 8), 920.16m, 180.00m, 920.16m, 180.00m, "paid"),
        [typeof(Payoff)] = new Payoff(new DateOnly(2025, 4, 20), 0m, 0m, 0m, 66.48m, 12, 11_079.84m, 11_079.84m, 66.48m),
        [typeof(ApplicationEndpoints.MoveRequest)] = new ApplicationEndpoints.MoveRequest("资料齐全，同意提交", 4711),
        [typeof(IntakeRequest)] = new IntakeRequest("张三", "110101199003070011", "13800138000", "330106", "XYD", 50_000m, 12, "经营周转", true, "EqualInstallment"),
        [typeof(IntakeReceipt)] = new IntakeReceipt(Guid.Parse("0195a1f2-0000-7e5f-8a9b-0c1d2e3f4a5b"), "SQ20250301000042", false),
        [typeof(CloseRequestStatus)] = new CloseRequestStatus(Guid.Parse("0195a1f2-1111-7e5f-8a9b-0c1d2e3f4a5b"), new DateOnly(2025, 4, 7), "api:admin",
            new DateTimeOffset(2025, 4, 8, 1, 30, 0, TimeSpan.Zero), "Completed", 2_480, 2_312, 14, 96, 9, 4, 0,
            [new CloseRunStatus(812, new DateOnly(2025, 4, 7), "Completed", new DateTimeOffset(2025, 4, 8, 1, 30, 1, TimeSpan.Zero),
                new DateTimeOffset(2025, 4, 8, 1, 30, 9, TimeSpan.Zero), 2_480, 2_480, 2_312, 14, 96, 9, 4, 0, null)]),
        [typeof(BankPostRequest)] = new BankPostRequest([Guid.Parse("0195a1f2-2222-7e5f-8a9b-0c1d2e3f4a5b")]),
        [typeof(BankAssignRequest)] = new BankAssignRequest("JK2025030800012", 4711),
        [typeof(ScheduleRequest)] = new ScheduleRequest("EqualInstallment", 12_000m, 0.18m, 12, "2025-03-08"),
        [typeof(Cockpit.ApiDashboard)] = DashboardExample(),
    };

    /// <summary>A book of 1,000 loans worked out by the domain's portfolio rules: 950 current, 30 past due, 20 of them 次级.</summary>
    private static Cockpit.ApiDashboard DashboardExample()
    {
        var team = Guid.Parse("0195a1f2-3333-7e5f-8a9b-0c1d2e3f4a5b");
        Domain.Portfolio.PortfolioCell Cell(LoanClass c, int bucket, int loans, decimal principal, decimal overdue) =>
            new(team, null, "CREDIT", RepaymentMethod.EqualInstallment, c, false, bucket, loans, principal, overdue);
        var figures = Cockpit.CockpitEndpoints.ToApi(Domain.Portfolio.PortfolioQuality.Of([
            Cell(LoanClass.Normal, -1, 950, 47_500_000m, 0m), Cell(LoanClass.SpecialMention, 1, 30, 1_500_000m, 60_000m),
            Cell(LoanClass.Substandard, 90, 20, 1_000_000m, 400_000m)]));
        var april = new DateOnly(2025, 4, 1);
        var flow = new Cockpit.ApiFlow(april, new DateOnly(2025, 4, 20), 120, 6_000_000m, 4_200_000m);
        var collections = new Cockpit.ApiCollections(april, new DateOnly(2025, 4, 20), 3_000_000m, 2_850_000m, 90_000m,
            new Cockpit.ApiRatio(0.95m, 2_850_000m, 3_000_000m, Cockpit.CockpitEndpoints.Formula("CollectionRate")));
        var pipeline = new Cockpit.ApiPipeline([new Cockpit.ApiStage("Pool", 12, 2, 24, 6.5m), new Cockpit.ApiStage("Approval", 8, 1, 72, 30.0m)],
            150, 80, 20, 10, 75, new Cockpit.ApiRatio(0.8m, 80, 100, Cockpit.CockpitEndpoints.Formula("ApprovalRate")), 6.5m, 14.0m);
        return new Cockpit.ApiDashboard(new DateOnly(2025, 4, 20), true, "Region", figures,
            flow, flow with { From = new DateOnly(2025, 3, 1), To = new DateOnly(2025, 3, 31), LoansDisbursed = 140 },
            flow with { From = new DateOnly(2024, 4, 1), To = new DateOnly(2024, 4, 30), LoansDisbursed = 90 },
            [new Cockpit.ApiBreakdownRow(Guid.Parse("0195a1f2-4444-7e5f-8a9b-0c1d2e3f4a5b"), "华东区", figures)], pipeline,
            collections, collections with { From = new DateOnly(2025, 3, 1), To = new DateOnly(2025, 3, 31) });
    }

    /// <summary>The simulator reads its JSON itself (amounts as strings, like the CLI): its example is the text.</summary>
    public const string SimulateBody = """
        {"method":"EqualInstallment","principal":"12000","annualRate":"0.18","months":12,"disbursed":"2025-01-20",
         "penaltyMarkup":"0.50","graceDays":0,"payments":[{"date":"2025-02-20","amount":"1100.16"}],"asOf":"2025-03-10"}
        """;

    public static IReadOnlyCollection<Type> Types => ByType.Keys;

    /// <summary>Sets a schema's example when its type has one.</summary>
    public static Task SchemaAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken ct)
    {
        if (ByType.TryGetValue(context.JsonTypeInfo.Type, out var example))
            schema.Examples = [JsonSerializer.SerializeToNode(example, context.JsonTypeInfo.Type, context.JsonTypeInfo.Options)!];
        return Task.CompletedTask;
    }

    /// <summary>
    /// A request body's example on the operation too (an optional body's schema is wrapped, and readers show the
    /// operation's); the simulator reads its JSON by hand, so its example is the text.
    /// </summary>
    public static Task OperationAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        if (operation.RequestBody?.Content?.TryGetValue("application/json", out var media) != true || media is not OpenApiMediaType json) return Task.CompletedTask;
        var body = context.Description.ParameterDescriptions.FirstOrDefault(p => p.Source == Microsoft.AspNetCore.Mvc.ModelBinding.BindingSource.Body);
        if (context.Description.RelativePath?.TrimEnd('/') == "api/v1/calculator/simulate")
            json.Example = JsonNode.Parse(SimulateBody);
        else if (body is not null && ByType.TryGetValue(body.Type, out var example))
            json.Example = JsonSerializer.SerializeToNode(example, body.Type, Options);
        return Task.CompletedTask;
    }

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
