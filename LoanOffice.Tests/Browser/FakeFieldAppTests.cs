using LoanOffice.Data.Seeding;
using LoanOffice.Web.Features.Field;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Shouldly;

namespace LoanOffice.Tests.Browser;

/// <summary><c>./loanoffice fake-field-app</c> against the running app: a device registered, the day opened, signed points accepted.</summary>
[Collection(BrowserCollection.Name)]
public class FakeFieldAppTests(BrowserFixture browser)
{
    [Fact]
    public async Task TheFakeApp_PlaysAnOfficersPhone_ThroughTheSignedApi()
    {
        var output = new StringWriter();
        (await FakeFieldApp.RunAsync("officer.sh", DemoCompanySeeder.DemoPassword, browser.BaseUrl, 3, TimeSpan.Zero, output, CancellationToken.None)).ShouldBe(0, output.ToString());
        var text = output.ToString();
        text.ShouldContain("point 3/3");
        text.Split('\n').Count(l => l.Contains("point ") && l.TrimEnd().EndsWith("→ 200", StringComparison.Ordinal)).ShouldBe(3, text);

        var data = browser.Services.GetRequiredService<NpgsqlDataSource>();
        await using var cmd = data.CreateCommand("""
            SELECT count(*) FROM field_pings p JOIN field_devices d ON d."Id" = p.device_id JOIN "AspNetUsers" u ON u."Id" = d."UserId"
             WHERE u."UserName" = 'officer.sh' AND d."Name" = 'fake-field-app'
            """);
        ((long)(await cmd.ExecuteScalarAsync())!).ShouldBeGreaterThanOrEqualTo(3L);
    }
}
