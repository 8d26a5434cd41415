using System.Net;
using System.Security.Cryptography;
using LoanOffice.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using LoanOffice.Data.Identity;
using LoanOffice.Web.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;

namespace LoanOffice.Tests.Integration;

/// <summary>Keys: never the demo ones in production; the data-protection ring in the database, shared by the nodes, encrypted at rest.</summary>
public class SecurityConfigurationTests : IClassFixture<AppFactory>, IAsyncLifetime
{
    private readonly AppFactory _app;

    public SecurityConfigurationTests(AppFactory app) => _app = app;

    public Task InitializeAsync() => TestDatabase.EnsureReadyAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public async Task Production_RefusesToStartWithTheDemoKeys_AndStartsWithItsOwn()
    {
        using var demo = _app.WithWebHostBuilder(b => b.UseEnvironment("Production"));
        var refused = Should.Throw<InvalidOperationException>(() => demo.CreateClient());
        refused.Message.ShouldContain("Security:PersonalDataKey");
        refused.Message.ShouldContain("Security:LookupKey");
        refused.Message.ShouldContain("Security:DataProtectionKey");

        var keyFile = Path.Combine(Path.GetTempPath(), $"lo-pd-{Guid.NewGuid():N}.key");
        File.WriteAllText(keyFile, NewKey() + "\n");
        try
        {
            using var configured = _app.WithWebHostBuilder(b => b.UseEnvironment("Production")
                .UseSetting("Security:PersonalDataKeyFile", keyFile) // a mounted secret file
                .UseSetting("Security:LookupKey", NewKey())
                .UseSetting("Security:DataProtectionKey", NewKey()));
            (await configured.CreateClient().GetAsync("/health")).StatusCode.ShouldBe(HttpStatusCode.OK);
        }
        finally
        {
            File.Delete(keyFile);
        }
    }

    [Fact]
    public async Task TheKeyRing_LivesInTheDatabase_Encrypted_AndASecondNodeAcceptsTheFirstNodesSession()
    {
        // signed in on the first node
        var client = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        string ticket;
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var user = await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByNameAsync("finance");
            ticket = scope.ServiceProvider.GetRequiredService<LoginTickets>().Issue(user!);
        }

        var login = await client.GetAsync($"/account/complete-login?ticket={Uri.EscapeDataString(ticket)}&returnUrl=/");
        var auth = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("LoanOffice.Auth=", StringComparison.Ordinal)).Split(';')[0];

        var xml = await _app.Sql.ScalarAsync<string>("""SELECT string_agg("Xml", '') FROM data_protection_keys""");
        xml.ShouldContain("aesGcmEncryptedKey");
        xml.ShouldNotContain("masterKey"); // the key material is inside the encrypted element only

        // another node (its own host, same database): the cookie the first one issued is good there
        await using var second = new AppFactory();
        var other = second.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/applications");
        request.Headers.Add("Cookie", auth);
        (await other.SendAsync(request)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
