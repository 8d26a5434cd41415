using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LoanOffice.Tests.Architecture;
using LoanOffice.Tests.Support;
using Shouldly;

namespace LoanOffice.Tests.Integration;

public class CalculatorTests : IClassFixture<AppFactory>, IAsyncLifetime
{
    private const string IssueExampleJson =
        """{"method":"EqualInstallment","principal":10000.00,"annualRate":0.08,"months":10,"startDate":"2026-01-15","installments":[{"number":1,"dueDate":"2026-02-15","principal":970.36,"interest":66.67,"payment":1037.03,"balanceAfter":9029.64},""";

    private readonly AppFactory _app;

    public CalculatorTests(AppFactory app) => _app = app;

    public Task InitializeAsync() => TestDatabase.EnsureReadyAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private static Task<(int Exit, string Stdout, string Stderr)> CliAsync(params string[] args) => TestCli.RunAsync("schedule", args);

    private static readonly string[] ExampleArgs =
        ["--method", "EqualInstallment", "--principal", "10000", "--annual-rate", "0.08", "--months", "10", "--start", "2026-01-15"];

    [Fact]
    public async Task Cli_Json_PrintsExactlyTheDocumentedJson()
    {
        var (exit, stdout, stderr) = await CliAsync([.. ExampleArgs, "--json"]);
        exit.ShouldBe(0, stderr);
        stdout.ShouldStartWith(IssueExampleJson);
        stdout.TrimEnd().ShouldEndWith("""{"number":10,"dueDate":"2026-11-15","principal":1030.20,"interest":6.87,"payment":1037.07,"balanceAfter":0.00}],"totalPrincipal":10000.00,"totalInterest":370.34,"totalPayment":10370.34}""");
        stdout.ShouldNotContain(" ");
    }

    [Fact]
    public async Task Cli_Table_IsReadable()
    {
        var (exit, stdout, _) = await CliAsync(ExampleArgs);
        exit.ShouldBe(0);
        stdout.ShouldContain("2026-02-15");
        stdout.ShouldContain("1,037.03");
        stdout.ShouldContain("Total");
        stdout.ShouldContain("10,370.34");
    }

    [Theory]
    [InlineData("--principal", "-5", "principal")]
    [InlineData("--months", "0", "months")]
    [InlineData("--method", "Balloon", "method")]
    [InlineData("--annual-rate", "1", "annual-rate")]
    [InlineData("--start", "2026-02-30", "start")]
    [InlineData("--principal", "abc", "principal")]
    public async Task Cli_BadArgument_ExitsWith2AndOneLine(string flag, string value, string named)
    {
        var args = ExampleArgs.ToArray();
        args[Array.IndexOf(args, flag) + 1] = value;
        var (exit, stdout, stderr) = await CliAsync(args);
        exit.ShouldBe(2);
        stdout.ShouldBeEmpty();
        stderr.Trim().Split('\n').Length.ShouldBe(1);
        stderr.ShouldContain(named);
    }

    [Fact]
    public async Task Cli_MissingArgument_ExitsWith2()
    {
        var (exit, _, stderr) = await CliAsync("--method", "Bullet", "--principal", "100");
        exit.ShouldBe(2);
        stderr.ShouldContain("missing --annual-rate");
    }

    [Fact]
    public async Task Api_ReturnsTheSameJsonAsTheCli()
    {
        var client = await _app.SignedInClientAsync("officer");
        var response = await client.PostAsJsonAsync("/api/v1/calculator/schedule",
            new { method = "EqualInstallment", principal = 10000, annualRate = 0.08, months = 10, startDate = "2026-01-15" });
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        var body = await response.Content.ReadAsStringAsync();
        var (_, cli, _) = await CliAsync([.. ExampleArgs, "--json"]);
        body.ShouldBe(cli.TrimEnd());
    }

    [Theory]
    [InlineData("""{"method":"EqualInstallment","principal":10000,"annualRate":0.08,"months":0,"startDate":"2026-01-15"}""", "months")]
    [InlineData("""{"method":"Nope","principal":10000,"annualRate":0.08,"months":10,"startDate":"2026-01-15"}""", "method")]
    [InlineData("""{"method":"Bullet","principal":10000,"annualRate":1.5,"months":10,"startDate":"2026-01-15"}""", "annualRate")]
    [InlineData("""{"method":"Bullet","annualRate":0.1,"months":10,"startDate":"2026-01-15"}""", "principal")]
    [InlineData("""{"method":"Bullet","principal":10000,"annualRate":0.1,"months":10,"startDate":"15/01/2026"}""", "startDate")]
    public async Task Api_InvalidInput_GetsProblemDetailsNamingTheField(string json, string field)
    {
        var client = await _app.SignedInClientAsync("officer");
        var response = await client.PostAsync("/api/v1/calculator/schedule", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue(await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Api_WithoutSignIn_Is401()
    {
        var client = _app.CreateClient();
        var response = await client.PostAsJsonAsync("/api/v1/calculator/schedule",
            new { method = "Bullet", principal = 1000, annualRate = 0.1, months = 3, startDate = "2026-01-15" });
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }
}
