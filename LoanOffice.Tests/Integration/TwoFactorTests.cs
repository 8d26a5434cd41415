using System.Net;
using System.Text.Json;
using LoanOffice.Domain.Common;
using LoanOffice.Domain.Organisation;
using LoanOffice.Tests.Support;
using LoanOffice.Web.Security;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;

namespace LoanOffice.Tests.Integration;

/// <summary>
/// Two-factor sign-in: required for Admin, ChiefApprover, Finance and Compliance (configurable), enrolment with the
/// authenticator key, the second step of the sign-in, recovery codes once each, every event audited.
/// </summary>
public class TwoFactorTests : IClassFixture<AppFactory>, IAsyncLifetime
{
    private readonly AppFactory _app;

    public TwoFactorTests(AppFactory app) => _app = app;

    public Task InitializeAsync() => TestDatabase.EnsureReadyAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public void TheDefaultRoles_AreThoseTheIssueNames_AndTheSwitchTurnsItOff()
    {
        var options = new TwoFactorOptions();
        options.IsRequiredFor([Roles.Finance]).ShouldBeTrue();
        options.IsRequiredFor([Roles.Admin]).ShouldBeTrue();
        options.IsRequiredFor([Roles.Compliance]).ShouldBeTrue();
        options.IsRequiredFor([Roles.ChiefApprover]).ShouldBeTrue();
        options.IsRequiredFor([Roles.LoanOfficer, Roles.Reviewer]).ShouldBeFalse();
        new TwoFactorOptions { TwoFactorRoles = [Roles.LoanOfficer] }.IsRequiredFor([Roles.LoanOfficer]).ShouldBeTrue();
        new TwoFactorOptions { TwoFactorRequired = false }.IsRequiredFor([Roles.Admin]).ShouldBeFalse();
    }

    [Fact]
    public async Task ARequiredRole_MustEnrolFirst_ThenSignsInWithACodeOrARecoveryCodeOnce()
    {
        await using var host = _app.WithWebHostBuilder(b => b.UseSetting("Security:TwoFactorRequired", "true"));
        await using var services = TestDatabase.BuildServices("test");
        var user = await TestDatabase.CreateUserAsync(services, "mfa", Roles.Finance, null);

        async Task<SignInAttempt> Password(string password = "a-long-test-password")
        {
            await using var scope = host.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<ISignInService>().CheckAsync(user.UserName!, password);
        }

        async Task<SignInAttempt> Code(string pending, string code)
        {
            await using var scope = host.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<ISignInService>().CheckSecondFactorAsync(pending, code);
        }

        // not enrolled yet: the password signs in, but the API answers 403 until two-factor is set up
        var first = await Password();
        first.Outcome.ShouldBe(SignInOutcome.Success);
        var client = host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        (await client.GetAsync($"/account/complete-login?ticket={Uri.EscapeDataString(first.Ticket!)}&returnUrl=/")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var refused = await client.GetAsync("/api/v1/loans");
        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString().ShouldBe(ErrorCodes.TwoFactorRequired);

        // enrolment: a wrong code is refused, the app's code turns it on and gives ten recovery codes
        IReadOnlyList<string> recovery;
        await using (var scope = await ActingAs.UserAsync(host.Services, user.UserName!))
        {
            var twoFactor = scope.Get<TwoFactorService>();
            (await twoFactor.MustEnrolAsync()).ShouldBeTrue();
            var enrolment = (await twoFactor.EnrolmentAsync())!;
            enrolment.Uri.ShouldStartWith("otpauth://totp/LoanOffice%3A");
            enrolment.Uri.ShouldContain("secret=" + enrolment.Key);
            (await twoFactor.EnableAsync("000000")).Error!.Code.ShouldBe(ErrorCodes.TwoFactorCodeInvalid);
            var enabled = await twoFactor.EnableAsync(Totp.Code(enrolment.Key));
            enabled.IsSuccess.ShouldBeTrue(enabled.Error?.Message);
            recovery = enabled.Value!;
            recovery.Count.ShouldBe(10);
            recovery.Distinct().Count().ShouldBe(10);
        }

        // the session from before enrolment has ended (the stamp changed with it)
        (await client.GetAsync("/api/v1/loans")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        // now the password alone is not enough
        var pending = await Password();
        pending.Outcome.ShouldBe(SignInOutcome.SecondFactorRequired);
        pending.Ticket.ShouldNotBeNull();
        (await Code(pending.Ticket!, "123456")).Outcome.ShouldBe(SignInOutcome.Invalid);
        await using (var scope = await ActingAs.UserAsync(host.Services, user.UserName!))
        {
            var key = (await scope.Get<TwoFactorService>().EnrolmentAsync())!.Key;
            var signedIn = await Code(pending.Ticket!, Totp.Code(key));
            signedIn.Outcome.ShouldBe(SignInOutcome.Success);
            var second = host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
            (await second.GetAsync($"/account/complete-login?ticket={Uri.EscapeDataString(signedIn.Ticket!)}&returnUrl=/")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
            (await second.GetAsync("/api/v1/loans")).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        // a recovery code works once
        var again = await Password();
        (await Code(again.Ticket!, recovery[0])).Outcome.ShouldBe(SignInOutcome.Success);
        var replay = await Password();
        (await Code(replay.Ticket!, recovery[0])).Outcome.ShouldBe(SignInOutcome.Invalid);

        await using var db = _app.Sql.Db();
        var actions = await db.AuditEntries.Where(a => a.EntityType == "Account" && a.EntityKey == user.UserName).Select(a => a.Action).ToListAsync();
        actions.ShouldContain(SecurityAudit.TwoFactorEnabled);
        actions.ShouldContain(SecurityAudit.TwoFactorFailed);
        actions.ShouldContain(SecurityAudit.RecoveryCodeUsed);
        actions.Count(a => a == SecurityAudit.SignedIn).ShouldBe(3);
    }

    [Fact]
    public async Task FailedSignIns_AreAudited_ForCompliance()
    {
        var name = "nobody-" + Guid.NewGuid().ToString("N")[..8];
        await using (var scope = _app.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<ISignInService>().CheckAsync(name, "wrong-password");
        await using var db = _app.Sql.Db();
        (await db.AuditEntries.SingleAsync(a => a.EntityType == "Account" && a.EntityKey == name)).Action.ShouldBe(SecurityAudit.SignInFailed);

        // and a refused request: an officer asking for the admin's API
        var officer = await _app.SignedInClientAsync("officer");
        (await officer.GetAsync("/api/v1/import/templates/loans.xlsx")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await db.AuditEntries.Where(a => a.EntityKey == "officer" && a.Action == SecurityAudit.Forbidden).Select(a => a.Changes).ToListAsync())
            .ShouldContain(c => c.Contains("/api/v1/import/templates/loans.xlsx", StringComparison.Ordinal));
    }
}
