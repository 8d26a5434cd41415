using System.Reflection;
using LoanOffice.Tests.Support;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;

namespace LoanOffice.Tests.Integration;

/// <summary>Every routable page and every endpoint declares an authorization policy; only a short list is anonymous.</summary>
public class AuthorizationCoverageTests : IClassFixture<AppFactory>, IAsyncLifetime
{
    // /verify: whoever holds an approval report (a court, a regulator) checks it without an account
    private static readonly string[] AnonymousPages = ["/account/login", "/not-found", "/error", "/apply", "/verify/{Number}"];
    // the intake endpoint authenticates channels by their API key (tested in IntakeApiTests)
    // the API reader's own script and icon (Scalar's files, no data; the reader page and the document need sign-in)
    private static readonly string[] AnonymousEndpoints = ["/health", "/account/complete-login", "/culture/set", "/api/v1/intake/applications",
        "/api/docs/scalar.js", "/api/docs/scalar.aspnetcore.js", "/api/docs/favicon.svg",
        // the officers' app: registration by the officer's own credentials, every other call by the device's HMAC signature (FieldApiTests)
        "/api/v1/field/devices", "/api/v1/field/sign-in", "/api/v1/field/sign-out", "/api/v1/field/pings", "/api/v1/field/heartbeat",
        // the app's calls beyond the day: signed by the device like the rest (FieldEndpoints.AuthenticateAsync)
        "/api/v1/field/tasks", "/api/v1/field/visits", "/api/v1/field/applications/{id:guid}/documents", "/api/v1/field/leave"];

    private readonly AppFactory _app;

    public AuthorizationCoverageTests(AppFactory app) => _app = app;

    public Task InitializeAsync() => TestDatabase.EnsureReadyAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public void EveryRoutablePage_DeclaresAPolicy_OrIsOnTheAnonymousList()
    {
        var pages = typeof(Program).Assembly.GetTypes()
            .Where(t => typeof(IComponent).IsAssignableFrom(t) && t.GetCustomAttributes<RouteAttribute>().Any())
            .ToList();
        pages.Count.ShouldBeGreaterThan(5);
        var offenders = new List<string>();
        foreach (var page in pages)
        {
            var routes = page.GetCustomAttributes<RouteAttribute>().Select(r => r.Template).ToList();
            var anonymous = page.GetCustomAttribute<AllowAnonymousAttribute>() is not null;
            var authorize = page.GetCustomAttributes<AuthorizeAttribute>().ToList();
            if (anonymous)
            {
                if (!routes.All(AnonymousPages.Contains)) offenders.Add($"{page.Name} ({string.Join(",", routes)}) is anonymous");
            }
            else if (authorize.Count == 0 || authorize.Any(a => string.IsNullOrEmpty(a.Policy)))
            {
                offenders.Add($"{page.Name} ({string.Join(",", routes)}) has no [Authorize(Policy=…)]");
            }
        }

        offenders.ShouldBeEmpty();
    }

    [Fact]
    public void EveryEndpoint_RequiresAuthorization_OrIsOnTheAnonymousList()
    {
        var endpoints = _app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        var offenders = new List<string>();
        foreach (var endpoint in endpoints)
        {
            var pattern = "/" + (endpoint.RoutePattern.RawText ?? string.Empty).TrimStart('/');
            if (IsFrameworkOrPage(endpoint, pattern)) continue;
            var anonymous = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
            var policies = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>();
            if (anonymous && !AnonymousEndpoints.Contains(pattern)) offenders.Add($"{pattern} allows anonymous access");
            if (!anonymous && (policies.Count == 0 || policies.All(p => string.IsNullOrEmpty(p.Policy))))
                offenders.Add($"{pattern} has no authorization policy");
        }

        offenders.ShouldBeEmpty();
    }

    // Pages are covered by the page test; Blazor's own hub/framework endpoints and static files carry no app data.
    private static bool IsFrameworkOrPage(RouteEndpoint endpoint, string pattern) =>
        endpoint.Metadata.GetMetadata<ComponentTypeMetadata>() is not null
        || pattern.StartsWith("/_blazor", StringComparison.Ordinal)
        || pattern.Contains(":file}", StringComparison.Ordinal)
        || pattern.StartsWith("/_framework", StringComparison.Ordinal)
        || endpoint.Metadata.Any(m => m.GetType().Name.Contains("StaticAsset", StringComparison.Ordinal))
        || endpoint.DisplayName?.Contains("static", StringComparison.OrdinalIgnoreCase) == true;

    [Theory]
    [InlineData("/")]
    [InlineData("/people")]
    [InlineData("/admin/users")]
    [InlineData("/audit")]
    public async Task Page_WithoutSignIn_RedirectsToTheSignInPage(string path)
    {
        var client = _app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var response = await client.GetAsync(path);
        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.Redirect);
        response.Headers.Location!.ToString().ShouldContain("/account/login");
    }

    [Fact]
    public async Task Api_WithoutSignIn_Answers401ProblemDetails()
    {
        var client = _app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var response = await client.GetAsync("/api/v1/people");
        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.Unauthorized);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
    }

    [Fact]
    public async Task AdminPage_AsLoanOfficer_IsForbiddenNotShown()
    {
        var client = await _app.SignedInClientAsync("officer");
        var response = await client.GetAsync("/admin/users");
        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.Redirect);
        response.Headers.Location!.AbsolutePath.ShouldBe("/forbidden");
        var html = await client.GetStringAsync(response.Headers.Location);
        html.ShouldContain("data-test=\"forbidden\"");
        html.ShouldNotContain("data-test=\"users-grid\"");
    }

    [Fact]
    public async Task Health_ReportsHealthyWithTheDatabase()
    {
        var client = _app.CreateClient();
        (await client.GetStringAsync("/health")).ShouldBe("Healthy");
    }
}
