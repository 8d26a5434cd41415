using System.Net;
using LoanOffice.Data.Identity;
using LoanOffice.Web.Security;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LoanOffice.Tests.Support;

/// <summary>The real app (Program) against the test database.</summary>
public class AppFactory : WebApplicationFactory<Program>
{
    /// <summary>Extra configuration for this host (set before the first request).</summary>
    public Dictionary<string, string> Settings { get; } = [];

    /// <summary>Another database than the shared one (an isolated copy of the template), set before the host starts.</summary>
    public string? Connection { get; init; }

    /// <summary>The database this host works on: the shared test database unless it was given its own.</summary>
    public virtual string DatabaseConnection => Connection ?? TestDatabase.ConnectionString;

    /// <summary>SQL and a plain context on this host's database.</summary>
    public TestSql Sql => new(DatabaseConnection);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("ConnectionStrings:Default", DatabaseConnection);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Jobs:Enabled", "false"); // a test about jobs turns the scheduler on through Settings
        // the demo users sign in with their password alone; TwoFactorTests turns the requirement on for its own host
        builder.UseSetting("Security:TwoFactorRequired", "false");
        foreach (var (key, value) in Settings) builder.UseSetting(key, value);
    }

    /// <summary>An HTTP client signed in as <paramref name="userName"/> through the real ticket endpoint.</summary>
    public async Task<HttpClient> SignedInClientAsync(string userName)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        string ticket;
        await using (var scope = Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var user = await users.FindByNameAsync(userName) ?? throw new InvalidOperationException($"no user {userName}");
            ticket = scope.ServiceProvider.GetRequiredService<LoginTickets>().Issue(user);
        }

        var response = await client.GetAsync($"/account/complete-login?ticket={Uri.EscapeDataString(ticket)}&returnUrl=/");
        if (response.StatusCode != HttpStatusCode.Redirect || response.Headers.Location?.ToString() != "/")
            throw new InvalidOperationException($"sign-in as {userName} failed: {response.StatusCode} {response.Headers.Location}");
        // like a page's script: the antiforgery token every cookie POST carries (its cookie is in the client's jar)
        var antiforgery = System.Text.Json.JsonDocument.Parse(await client.GetStringAsync("/account/antiforgery")).RootElement;
        client.DefaultRequestHeaders.Add(antiforgery.GetProperty("header").GetString()!, antiforgery.GetProperty("token").GetString());
        return client;
    }

    /// <summary>
    /// An HTTP client as an integration uses the API: no cookies, a new access token of <paramref name="userName"/> as
    /// the bearer; the token's name (the audit trail shows it) is returned with it.
    /// </summary>
    public async Task<(HttpClient Client, string TokenName)> BearerClientAsync(string userName)
    {
        var name = "api-" + Guid.NewGuid().ToString("N")[..8];
        await using var scope = Services.CreateAsyncScope();
        var made = await scope.ServiceProvider.GetRequiredService<AccessTokens>().CreateAsync(userName, name, 1, "test");
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", made.Value.Secret);
        return (client, name);
    }
}
