using System.Net;
using System.Reflection;
using System.Security.Claims;
using System.Text;
using LoanOffice.Domain.Organisation;
using LoanOffice.Tests.Architecture;
using LoanOffice.Tests.Support;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;

namespace LoanOffice.Tests.Security;

/// <summary>
/// The authorization matrix, checked in as <c>authorization-matrix.tsv</c>: every page and endpoint × every role →
/// allow / deny (or anon). The test evaluates each one's declared policies for a user holding just that role and
/// compares with the table: a new page or endpoint without a row fails, and so does a policy change the table does
/// not show. The record-scope part (<c>record-scope.tsv</c>) calls real endpoints as the demo users on a record of
/// team HZ01: own team (or region, or the whole company) → 200, another team → 403.
/// Regenerate the first table after a deliberate change with LOANOFFICE_WRITE_MATRIX=1 and review the diff.
/// </summary>
public class AuthorizationMatrixTests : IClassFixture<AppFactory>, IAsyncLifetime
{
    private static readonly string Dir = Path.Combine(DomainIsolationTests.RepoRoot(), "LoanOffice.Tests", "Security");
    private readonly AppFactory _app;

    public AuthorizationMatrixTests(AppFactory app) => _app = app;

    public Task InitializeAsync() => TestDatabase.EnsureReadyAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private static ClaimsPrincipal WithRole(string role) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, Guid.NewGuid().ToString()), new Claim(ClaimTypes.Name, "matrix"), new Claim(ClaimTypes.Role, role)], "matrix"));

    private static async Task<string> CellAsync(IAuthorizationService authorization, IAuthorizationPolicyProvider provider, IReadOnlyList<IAuthorizeData> data, bool anonymous, string role)
    {
        if (anonymous) return "anon";
        var policy = await AuthorizationPolicy.CombineAsync(provider, data);
        if (policy is null) return "none"; // fails the coverage test as well
        return (await authorization.AuthorizeAsync(WithRole(role), policy)).Succeeded ? "allow" : "deny";
    }

    private async Task<List<string>> ActualRowsAsync()
    {
        var services = _app.Services;
        var authorization = services.GetRequiredService<IAuthorizationService>();
        var provider = services.GetRequiredService<IAuthorizationPolicyProvider>();
        var rows = new SortedSet<string>(StringComparer.Ordinal);

        foreach (var page in typeof(Program).Assembly.GetTypes().Where(t => typeof(IComponent).IsAssignableFrom(t) && t.GetCustomAttributes<RouteAttribute>().Any()))
        {
            var anonymous = page.GetCustomAttribute<AllowAnonymousAttribute>() is not null;
            var data = page.GetCustomAttributes<AuthorizeAttribute>().Cast<IAuthorizeData>().ToList();
            foreach (var route in page.GetCustomAttributes<RouteAttribute>())
            {
                var cells = new List<string>();
                foreach (var role in Roles.All) cells.Add(await CellAsync(authorization, provider, data, anonymous, role));
                rows.Add($"PAGE {route.Template}\t{string.Join('\t', cells)}");
            }
        }

        foreach (var endpoint in services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = "/" + (endpoint.RoutePattern.RawText ?? string.Empty).TrimStart('/');
            if (endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Components.Endpoints.ComponentTypeMetadata>() is not null
                || pattern.StartsWith("/_", StringComparison.Ordinal) || pattern.Contains(":file}", StringComparison.Ordinal)
                || endpoint.Metadata.Any(m => m.GetType().Name.Contains("StaticAsset", StringComparison.Ordinal))) continue;
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["ANY"];
            var anonymous = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
            var data = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>();
            var cells = new List<string>();
            foreach (var role in Roles.All) cells.Add(await CellAsync(authorization, provider, data, anonymous, role));
            foreach (var method in methods) rows.Add($"{method} {pattern}\t{string.Join('\t', cells)}");
        }

        return [.. rows];
    }

    [Fact]
    public async Task EveryPageAndEndpoint_ByEveryRole_IsAsTheCheckedInMatrixSays()
    {
        var header = "route\t" + string.Join('\t', Roles.All);
        var actual = await ActualRowsAsync();
        var path = Path.Combine(Dir, "authorization-matrix.tsv");
        if (Environment.GetEnvironmentVariable("LOANOFFICE_WRITE_MATRIX") == "1")
            await File.WriteAllTextAsync(path, header + "\n" + string.Join('\n', actual) + "\n", new UTF8Encoding(false));
        var expected = (await File.ReadAllLinesAsync(path)).Where(l => l.Length > 0).ToList();
        expected[0].ShouldBe(header);
        var table = expected.Skip(1).ToList();
        var missing = actual.Where(a => !table.Contains(a)).ToList();
        var stale = table.Where(t => !actual.Contains(t)).ToList();
        missing.ShouldBeEmpty("pages or endpoints whose access the matrix does not show (a new one, or a changed policy): add or correct the row");
        stale.ShouldBeEmpty("rows of the matrix that no longer describe the app");
        actual.ShouldAllBe(a => !a.Contains("\tnone", StringComparison.Ordinal));
    }

    /// <summary>Rows: user, method, path template ({application} an HZ01 file, {loan} an HZ01 loan), expected status.</summary>
    [Fact]
    public async Task RecordScope_OwnTeamAllowed_ForeignTeamDenied_AsTheTableSays()
    {
        var application = await TestApplications.CollectingAsync(_app.Services, "杭州市西湖区", "officer", "lead");
        var loan = await TestLoans.CreateAsync(_app.Services, new DateOnly(2026, 3, 8));
        string loanNumber;
        await using (var db = _app.Sql.Db())
            loanNumber = db.Loans.Where(l => l.Id == loan).Select(l => l.Number).Single();

        var failures = new List<string>();
        var clients = new Dictionary<string, HttpClient>();
        foreach (var line in (await File.ReadAllLinesAsync(Path.Combine(Dir, "record-scope.tsv"))).Skip(1).Where(l => l.Length > 0 && !l.StartsWith('#')))
        {
            var cells = line.Split('\t');
            var (user, method, template, expected) = (cells[0], cells[1], cells[2], int.Parse(cells[3], System.Globalization.CultureInfo.InvariantCulture));
            if (!clients.TryGetValue(user, out var client)) clients[user] = client = await _app.SignedInClientAsync(user);
            var path = template.Replace("{application}", application.ToString(), StringComparison.Ordinal).Replace("{loan}", loanNumber, StringComparison.Ordinal);
            var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
            if ((int)response.StatusCode != expected) failures.Add($"{user} {method} {template}: {(int)response.StatusCode}, the table says {expected}");
        }

        failures.ShouldBeEmpty();
    }
}
