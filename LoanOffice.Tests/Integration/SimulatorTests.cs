using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LoanOffice.Tests.Architecture;
using LoanOffice.Tests.Support;
using LoanOffice.Web.Features.Calculator;
using Shouldly;

namespace LoanOffice.Tests.Integration;

/// <summary>贷款试算: ./loanoffice simulate and POST /api/v1/calculator/simulate, figures worked out by hand in the comments.</summary>
public class SimulatorTests : IClassFixture<AppFactory>, IAsyncLifetime
{
    private readonly AppFactory _app;

    public SimulatorTests(AppFactory app) => _app = app;

    public Task InitializeAsync() => TestDatabase.EnsureReadyAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private static Task<(int Exit, string Stdout, string Stderr)> CliAsync(string stdin) => TestCli.RunAsync("simulate", [], stdin);

    private static JsonElement Run(string json)
    {
        var result = SimulateCommand.Simulate(json);
        result.IsSuccess.ShouldBeTrue(result.Error?.Message);
        return JsonDocument.Parse(result.Value!).RootElement;
    }

    private static decimal D(JsonElement e, string name) => e.GetProperty(name).GetDecimal();

    // 12,000 at 18 % over 12 months, equal installments of 1,100.16 from 20 Jan 2025; penalty markup 50 % (0.075 % a day)
    private const string Base = """ "method":"EqualInstallment","principal":"12000","annualRate":"0.18","months":12,"disbursed":"2025-01-20","penaltyMarkup":"0.50","graceDays":0 """;

    [Fact]
    public async Task Cli_TheStatementsAmountPaidOnTheDueDate_SettlesTheInstallment_AndNothingIsOverdue()
    {
        var (exit, stdout, stderr) = await CliAsync("{" + Base + ""","payments":[{"date":"2025-02-20","amount":"1100.16"}],"asOf":"2025-03-10"}""");
        exit.ShouldBe(0, stderr);
        var r = JsonDocument.Parse(stdout).RootElement;
        r.GetProperty("dpd").GetInt32().ShouldBe(0);
        r.GetProperty("class").GetString().ShouldBe("Normal");
        var first = r.GetProperty("installments")[0];
        (D(first, "paidInterest"), D(first, "paidPrincipal"), first.GetProperty("state").GetString()).ShouldBe((180.00m, 920.16m, "Paid"));
        r.GetProperty("installments")[1].GetProperty("state").GetString().ShouldBe("Current");
        D(r.GetProperty("installments")[1], "paidInterest").ShouldBe(0m);
        var pay = r.GetProperty("payments")[0];
        (D(pay, "penalty"), D(pay, "compound"), D(pay, "interest"), D(pay, "principal")).ShouldBe((0m, 0m, 180.00m, 920.16m));
        D(r, "penaltyAccrued").ShouldBe(0m);
        // payoff on 10 Mar: 11,079.84 principal + 11,079.84 × 0.18 × 18 / 360 = 99.7186 → 99.72
        var payoff = r.GetProperty("payoff");
        (D(payoff, "principal"), D(payoff, "interest"), D(payoff, "total")).ShouldBe((11_079.84m, 99.72m, 11_179.56m));
    }

    [Fact]
    public void OverdueThenPartlyPaid_PenaltyCompoundAllocationAndPayoff_AsWorkedOutByHand()
    {
        var r = Run("{" + Base + ""","payments":[{"date":"2025-02-20","amount":"1100.16"},{"date":"2025-04-10","amount":500}],"asOf":"2025-04-30"}""");
        // installment 2 (due 20 Mar) unpaid 21 Mar – 9 Apr (20 days): penalty 933.96 × 0.27 / 360 = 0.70047 a day → 14.0094,
        // compound 166.20 × 0.00075 = 0.12465 a day → 2.493; the 500 on 10 Apr: 14.01 penalty, 2.49 compound, 166.20 interest, 317.30 principal
        var pay = r.GetProperty("payments")[1];
        (D(pay, "penalty"), D(pay, "compound"), D(pay, "interest"), D(pay, "principal")).ShouldBe((14.01m, 2.49m, 166.20m, 317.30m));
        // then 616.66 overdue for 11 days (10–20 Apr) and 616.66 + 947.97 for 10 days (21–30 Apr)
        D(r, "penaltyAccrued").ShouldBe(30.831575m);
        D(r, "penaltyDue").ShouldBe(16.82m);
        r.GetProperty("dpd").GetInt32().ShouldBe(41, "installment 2 is 41 days past its due date on 30 Apr");
        r.GetProperty("class").GetString().ShouldBe("SpecialMention");
        r.GetProperty("status").GetString().ShouldBe("Overdue");
        var payoff = r.GetProperty("payoff");
        // interest: installment 3's 152.19 + 9,197.91 × 0.18 × 10 / 360 = 45.99
        (D(payoff, "principal"), D(payoff, "interest"), D(payoff, "penalty"), D(payoff, "compound")).ShouldBe((10_762.54m, 198.18m, 16.82m, 1.14m));
        D(payoff, "total").ShouldBe(10_978.68m);
    }

    [Fact]
    public void AReversedPayment_IsAsIfItHadNeverBeenMade()
    {
        var reversed = Run("{" + Base + ""","payments":[{"date":"2025-02-20","amount":"1100.16"},{"date":"2025-03-20","amount":"1100.16"}],"reversals":[1],"asOf":"2025-05-01"}""");
        var without = Run("{" + Base + ""","payments":[{"date":"2025-02-20","amount":"1100.16"}],"asOf":"2025-05-01"}""");
        reversed.GetProperty("payments")[1].GetProperty("reversed").GetBoolean().ShouldBeTrue();
        D(reversed.GetProperty("payments")[1], "principal").ShouldBe(0m);
        reversed.GetProperty("installments").GetRawText().ShouldBe(without.GetProperty("installments").GetRawText());
        reversed.GetProperty("payoff").GetRawText().ShouldBe(without.GetProperty("payoff").GetRawText());
        D(reversed, "penaltyAccrued").ShouldBe(D(without, "penaltyAccrued"));
    }

    [Fact]
    public void APrepayment_ChargesInterestByDays_AndShortensTheTerm()
    {
        var r = Run("{" + Base + ""","payments":[{"date":"2025-02-20","amount":"1100.16"}],"prepayments":[{"date":"2025-03-05","principal":"5000","option":"ShortenTerm"}],"asOf":"2025-03-05"}""");
        var p = r.GetProperty("prepayments")[0];
        // 11,079.84 × 0.18 × 13 / 360 = 72.0190 → 72.02
        (p.GetProperty("days").GetInt32(), D(p, "interestForDays"), D(p, "total")).ShouldBe((13, 72.02m, 5_072.02m));
        r.GetProperty("installments").GetArrayLength().ShouldBeLessThan(12);
        r.GetProperty("installments").EnumerateArray().Sum(i => D(i, "principal")).ShouldBe(12_000m - 5_000m);
    }

    [Fact]
    public void AManualClass_OnlyWorsens_AndStaysAfterTheLoanIsCurrent()
    {
        var worse = Run("{" + Base + ""","manualClass":[{"date":"2025-02-01","class":"Doubtful"}],"asOf":"2025-02-10"}""");
        worse.GetProperty("class").GetString().ShouldBe("Doubtful");
        worse.GetProperty("dpd").GetInt32().ShouldBe(0);
        var better = SimulateCommand.Simulate("{" + Base + ""","manualClass":[{"date":"2025-05-01","class":"Normal"}],"asOf":"2025-05-10"}""");
        better.Error!.Field.ShouldBe("manualClass[0].class");
    }

    [Theory]
    [InlineData("""{"method":"Foo"}""", "method: ")]
    [InlineData("""{"method":"Bullet","principal":"ten","annualRate":0.1,"months":3,"disbursed":"2025-01-01","asOf":"2025-02-01"}""", "principal: ")]
    [InlineData("""{"method":"Bullet","principal":1000,"annualRate":0.1,"months":3,"disbursed":"2025-01-01"}""", "asOf: ")]
    [InlineData("""{"method":"Bullet","principal":1000,"annualRate":0.1,"months":3,"disbursed":"2025-01-01","asOf":"2025-02-01","payments":[{"date":"2025-01-05","amount":5000}]}""", "payments[0].amount: ")]
    [InlineData("""{"method":"Bullet","principal":1000,"annualRate":0.1,"months":3,"disbursed":"2025-01-01","asOf":"2025-02-01","payments":[{"date":"2024-12-31","amount":5}]}""", "payments[0].date: ")]
    [InlineData("""{"method":"Bullet","principal":1000,"annualRate":0.1,"months":3,"disbursed":"2025-01-01","asOf":"2025-02-01","reversals":[3]}""", "reversals[0]: ")]
    [InlineData("""not json""", "input: ")]
    public async Task Cli_BadInput_ExitsTwo_WithOneLineNamingTheField(string json, string field)
    {
        var (exit, stdout, stderr) = await CliAsync(json);
        exit.ShouldBe(2);
        stdout.ShouldBeEmpty();
        stderr.TrimEnd().Split('\n').Length.ShouldBe(1);
        stderr.ShouldStartWith("simulate: " + field);
    }

    [Fact]
    public async Task Api_GivesTheSameJson_AndProblemDetailsWithTheCodeAndField()
    {
        var json = "{" + Base + ""","payments":[{"date":"2025-02-20","amount":"1100.16"}],"asOf":"2025-03-10"}""";
        var client = await _app.SignedInClientAsync("officer");
        var ok = await client.PostAsync("/api/v1/calculator/simulate", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        ok.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await ok.Content.ReadAsStringAsync()).ShouldBe(SimulateCommand.Simulate(json).Value);

        var bad = await client.PostAsync("/api/v1/calculator/simulate", new StringContent(json.Replace("1100.16", "1100.17"), System.Text.Encoding.UTF8, "application/json"));
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var problem = await bad.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("code").GetString().ShouldBe(LoanOffice.Domain.Common.ErrorCodes.Overpayment);
        problem.GetProperty("field").GetString().ShouldBe("payments[0].amount");

        var anonymous = await _app.CreateClient().PostAsync("/api/v1/calculator/simulate", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        anonymous.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }
}
