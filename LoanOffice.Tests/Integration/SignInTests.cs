using LoanOffice.Domain.Common;
using System.Security.Claims;
using LoanOffice.Data.Identity;
using LoanOffice.Domain.Organisation;
using LoanOffice.Tests.Support;
using LoanOffice.Web.Features.Admin;
using LoanOffice.Web.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Shouldly;

namespace LoanOffice.Tests.Integration;

public class SignInTests : IClassFixture<AppFactory>, IAsyncLifetime
{
    private readonly AppFactory _app;

    public SignInTests(AppFactory app) => _app = app;

    public Task InitializeAsync() => TestDatabase.EnsureReadyAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<SignInAttempt> TryAsync(string userName, string password)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ISignInService>().CheckAsync(userName, password);
    }

    [Fact]
    public async Task FiveWrongPasswords_LockTheAccount_EvenForTheRightPassword()
    {
        await using var services = TestDatabase.BuildServices("test");
        var user = await TestDatabase.CreateUserAsync(services, "lockme", Roles.LoanOfficer, null);
        for (var i = 1; i <= 4; i++) (await TryAsync(user.UserName!, "wrong-password-" + i)).Outcome.ShouldBe(SignInOutcome.Invalid);
        (await TryAsync(user.UserName!, "wrong-password-5")).Outcome.ShouldBe(SignInOutcome.LockedOut);
        (await TryAsync(user.UserName!, "a-long-test-password")).Outcome.ShouldBe(SignInOutcome.LockedOut);

        await using var scope = _app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var stored = (await users.FindByIdAsync(user.Id.ToString()))!;
        stored.LockoutEnd!.Value.ShouldBeInRange(DateTimeOffset.UtcNow.AddMinutes(14), DateTimeOffset.UtcNow.AddMinutes(16));
    }

    /// <summary>Counts the password hash checks (the expensive part of a sign-in: PBKDF2 with 210,000 iterations).</summary>
    private sealed class CountingHasher(IOptions<PasswordHasherOptions> options) : IPasswordHasher<AppUser>
    {
        public static int Verifications;
        private readonly PasswordHasher<AppUser> _inner = new(options);
        public string HashPassword(AppUser user, string password) => _inner.HashPassword(user, password);

        public PasswordVerificationResult VerifyHashedPassword(AppUser user, string hashedPassword, string providedPassword)
        {
            Interlocked.Increment(ref Verifications);
            return _inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }

    [Fact]
    public async Task ALockedRealAccount_CostsTheSameHashingAsAnUnknownName_SoTimingTellsNothing()
    {
        await using var services = TestDatabase.BuildServices("test");
        var user = await TestDatabase.CreateUserAsync(services, "timing", Roles.LoanOfficer, null);
        await using var host = _app.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddScoped<IPasswordHasher<AppUser>, CountingHasher>()));
        async Task<(SignInOutcome Outcome, int Hashes)> Attempt(string name)
        {
            await using var scope = host.Services.CreateAsyncScope();
            var before = Volatile.Read(ref CountingHasher.Verifications);
            var outcome = (await scope.ServiceProvider.GetRequiredService<ISignInService>().CheckAsync(name, "wrong-password")).Outcome;
            return (outcome, Volatile.Read(ref CountingHasher.Verifications) - before);
        }

        for (var i = 0; i < 5; i++) await Attempt(user.UserName!);
        var locked = await Attempt(user.UserName!);
        var unknown = await Attempt("nobody-" + Guid.NewGuid().ToString("N")[..8]);
        locked.Outcome.ShouldBe(SignInOutcome.LockedOut);
        unknown.Outcome.ShouldBe(SignInOutcome.Invalid);
        unknown.Hashes.ShouldBe(1);
        locked.Hashes.ShouldBe(unknown.Hashes);
    }

    [Fact]
    public async Task UnknownUserName_BehavesExactlyLikeAWrongPassword_IncludingLockout()
    {
        var name = "nobody-" + Guid.NewGuid().ToString("N")[..8];
        for (var i = 1; i <= 4; i++) (await TryAsync(name, "whatever-password")).Outcome.ShouldBe(SignInOutcome.Invalid);
        (await TryAsync(name, "whatever-password")).Outcome.ShouldBe(SignInOutcome.LockedOut);
    }

    [Fact]
    public async Task RightPassword_GivesASingleUseTicket()
    {
        await using var services = TestDatabase.BuildServices("test");
        var user = await TestDatabase.CreateUserAsync(services, "ticket", Roles.Finance, null);
        var attempt = await TryAsync(user.UserName!, "a-long-test-password");
        attempt.Outcome.ShouldBe(SignInOutcome.Success);
        var client = _app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var first = await client.GetAsync($"/account/complete-login?ticket={Uri.EscapeDataString(attempt.Ticket!)}&returnUrl=/people");
        first.Headers.Location!.ToString().ShouldBe("/people");
        first.Headers.TryGetValues("Set-Cookie", out var cookies).ShouldBeTrue();
        cookies!.ShouldContain(c => c.StartsWith("LoanOffice.Auth=", StringComparison.Ordinal));
        var replay = await client.GetAsync($"/account/complete-login?ticket={Uri.EscapeDataString(attempt.Ticket!)}&returnUrl=/");
        replay.Headers.Location!.ToString().ShouldContain("error=expired");
        var forged = await client.GetAsync("/account/complete-login?ticket=forged&returnUrl=/");
        forged.Headers.Location!.ToString().ShouldContain("error=expired");
    }

    [Fact]
    public async Task CompleteLogin_WithForeignReturnUrl_StaysOnSite()
    {
        await using var services = TestDatabase.BuildServices("test");
        var user = await TestDatabase.CreateUserAsync(services, "redirect", Roles.Finance, null);
        var attempt = await TryAsync(user.UserName!, "a-long-test-password");
        var client = _app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var response = await client.GetAsync($"/account/complete-login?ticket={Uri.EscapeDataString(attempt.Ticket!)}&returnUrl={Uri.EscapeDataString("//evil.example/x")}");
        response.Headers.Location!.ToString().ShouldBe("/");
    }

    [Fact]
    public async Task PasswordPolicy_TwelveCharactersWithoutCompositionRules_AndPbkdf2AtLeast210000Iterations()
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var shortOne = new AppUser { Id = Guid.CreateVersion7(), UserName = "pw-short-" + Guid.NewGuid().ToString("N")[..6], DisplayName = "x" };
        (await users.CreateAsync(shortOne, "elevenchars")).Succeeded.ShouldBeFalse();
        var plain = new AppUser { Id = Guid.CreateVersion7(), UserName = "pw-plain-" + Guid.NewGuid().ToString("N")[..6], DisplayName = "x" };
        (await users.CreateAsync(plain, "twelvechars!")).Succeeded.ShouldBeTrue();
        (await users.CreateAsync(new AppUser { Id = Guid.CreateVersion7(), UserName = "pw-lower-" + Guid.NewGuid().ToString("N")[..6], DisplayName = "x" },
            "alllowercaseletters")).Succeeded.ShouldBeTrue();

        // Identity V3 hash: 0x01 | prf (4 bytes) | iteration count (4 bytes, big-endian) | …
        var bytes = Convert.FromBase64String(plain.PasswordHash!);
        bytes[0].ShouldBe((byte)0x01);
        var iterations = (bytes[5] << 24) | (bytes[6] << 16) | (bytes[7] << 8) | bytes[8];
        iterations.ShouldBeGreaterThanOrEqualTo(210_000);
    }

    [Fact]
    public async Task Revalidation_AfterAdminLocksTheUser_InvalidatesTheOpenSession()
    {
        await using var services = TestDatabase.BuildServices("test");
        var user = await TestDatabase.CreateUserAsync(services, "reval", Roles.Reviewer, null);
        await using var scope = _app.Services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var principal = await sp.GetRequiredService<SignInManager<AppUser>>().CreateUserPrincipalAsync(user);
        var identityOptions = sp.GetRequiredService<IOptions<IdentityOptions>>().Value;
        var users = sp.GetRequiredService<UserManager<AppUser>>();
        (await RevalidatingIdentityAuthenticationStateProvider.IsStillValidAsync(users, principal, identityOptions)).ShouldBeTrue();

        SignInAs(scope, await PrincipalOfAsync(scope, "admin"));
        var admin = scope.ServiceProvider.GetRequiredService<UserAdminService>();
        (await admin.SetLockedAsync(user.Id, locked: true)).IsSuccess.ShouldBeTrue();

        await using var fresh = _app.Services.CreateAsyncScope();
        var freshUsers = fresh.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        (await RevalidatingIdentityAuthenticationStateProvider.IsStillValidAsync(freshUsers, principal, identityOptions)).ShouldBeFalse();
        (await TryAsync(user.UserName!, "a-long-test-password")).Outcome.ShouldBe(SignInOutcome.LockedOut);
    }

    [Fact]
    public async Task AnAdmin_SetsAnOfficersWorkMobile_CheckedAndNormalised()
    {
        await using var services = TestDatabase.BuildServices("test");
        var user = await TestDatabase.CreateUserAsync(services, "mobile-officer", Roles.LoanOfficer, null);
        await using var scope = _app.Services.CreateAsyncScope();
        SignInAs(scope, await PrincipalOfAsync(scope, "admin"));
        var admin = scope.ServiceProvider.GetRequiredService<UserAdminService>();
        var row = (await admin.ListAsync(user.UserName, 0, 10)).Items.Single();
        var bad = await admin.UpdateAsync(new UpdateUserCommand(user.Id, row.DisplayName, null, null, [Roles.LoanOfficer], row.ConcurrencyStamp, "12345"));
        (bad.Error!.Code, bad.Error.Field).ShouldBe((ErrorCodes.MobileFormat, "mobile"));
        (await admin.UpdateAsync(new UpdateUserCommand(user.Id, row.DisplayName, null, null, [Roles.LoanOfficer], row.ConcurrencyStamp, "+86 139-0000-2222"))).IsSuccess.ShouldBeTrue();
        (await admin.ListAsync(user.UserName, 0, 10)).Items.Single().Mobile.ShouldBe("13900002222", "where the offline alerts' SMS goes");
    }

    [Fact]
    public async Task Revalidation_AfterARoleIsRemoved_InvalidatesTheOpenSession()
    {
        await using var services = TestDatabase.BuildServices("test");
        var user = await TestDatabase.CreateUserAsync(services, "reval-role", Roles.Compliance, null);
        await using var scope = _app.Services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var principal = await sp.GetRequiredService<SignInManager<AppUser>>().CreateUserPrincipalAsync(user);
        SignInAs(scope, await PrincipalOfAsync(scope, "admin"));
        var admin = scope.ServiceProvider.GetRequiredService<UserAdminService>();
        var row = (await admin.ListAsync(user.UserName, 0, 10)).Items.Single();
        (await admin.UpdateAsync(new UpdateUserCommand(user.Id, row.DisplayName, null, null, [Roles.LoanOfficer], row.ConcurrencyStamp))).IsSuccess.ShouldBeTrue();

        await using var fresh = _app.Services.CreateAsyncScope();
        var freshUsers = fresh.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var options = fresh.ServiceProvider.GetRequiredService<IOptions<IdentityOptions>>().Value;
        (await RevalidatingIdentityAuthenticationStateProvider.IsStillValidAsync(freshUsers, principal, options)).ShouldBeFalse();
        (await freshUsers.GetRolesAsync((await freshUsers.FindByIdAsync(user.Id.ToString()))!)).ShouldBe([Roles.LoanOfficer]);
    }

    private static async Task<ClaimsPrincipal> PrincipalOfAsync(AsyncServiceScope scope, string userName)
    {
        var sp = scope.ServiceProvider;
        var user = (await sp.GetRequiredService<UserManager<AppUser>>().FindByNameAsync(userName))!;
        return await sp.GetRequiredService<SignInManager<AppUser>>().CreateUserPrincipalAsync(user);
    }

    /// <summary>Makes the scope's services see <paramref name="principal"/> as the signed-in user (synchronous, so the
    /// async-local HttpContext flows to the caller).</summary>
    private static void SignInAs(AsyncServiceScope scope, ClaimsPrincipal principal)
    {
        var http = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Http.IHttpContextAccessor>();
        http.HttpContext = new Microsoft.AspNetCore.Http.DefaultHttpContext { User = principal, RequestServices = scope.ServiceProvider };
    }
}
