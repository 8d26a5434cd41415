using Bunit;
using LoanOffice.Web.Features.Account;
using LoanOffice.Web.Security;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;

namespace LoanOffice.Tests.Components;

public class LoginFormTests : ComponentTestBase
{
    /// <summary>A scripted sign-in service: the form's behaviour, not Identity's, is under test here.</summary>
    private sealed class ScriptedSignIn(SignInOutcome outcome) : ISignInService
    {
        public List<(string User, string Password)> Calls { get; } = [];

        public Task<SignInAttempt> CheckAsync(string userName, string password)
        {
            Calls.Add((userName, password));
            return Task.FromResult(new SignInAttempt(outcome, outcome switch
            {
                SignInOutcome.Success => "ticket-123",
                SignInOutcome.SecondFactorRequired => "pending-1",
                _ => null,
            }));
        }

        public Task<SignInAttempt> CheckSecondFactorAsync(string pending, string code)
        {
            Calls.Add((pending, code));
            return Task.FromResult(code == "123456" ? new SignInAttempt(SignInOutcome.Success, "ticket-2fa") : new SignInAttempt(SignInOutcome.Invalid, pending));
        }
    }

    [Fact]
    public void AnAccountWithTwoFactor_AsksForTheCode_AWrongOneKeepsTheStep_TheRightOneSignsIn()
    {
        var (form, service, tickets) = Render(SignInOutcome.SecondFactorRequired);
        form.Find("#login-username").Input("finance");
        form.Find("#login-password").Input("a-long-password");
        form.Find("form").Submit();
        form.Find("[data-test=login-second-factor]").TextContent.ShouldContain("6 位验证码");
        form.FindAll("#login-password").ShouldBeEmpty();
        form.Find("#login-code").Input("654321");
        form.Find("form").Submit();
        form.Find("[data-test=login-error]").TextContent.ShouldContain("验证码不正确");
        form.Find("#login-code").Input("123 456".Replace(" ", "", StringComparison.Ordinal));
        form.Find("form").Submit();
        tickets.ShouldBe(["ticket-2fa"]);
        service.Calls.ShouldContain(("pending-1", "123456"));
    }

    private (IRenderedComponent<LoginForm> Form, ScriptedSignIn Service, List<string> Tickets) Render(SignInOutcome outcome)
    {
        var service = new ScriptedSignIn(outcome);
        Services.AddSingleton<ISignInService>(service);
        var tickets = new List<string>();
        var form = Render<LoginForm>(p => p.Add(f => f.OnSignedIn, (string t) => tickets.Add(t)));
        return (form, service, tickets);
    }

    private static void Submit(IRenderedComponent<LoginForm> form, string user, string password)
    {
        form.Find("#login-username").Input(user);
        form.Find("#login-password").Input(password);
        form.Find("form").Submit();
    }

    [Fact]
    public void Submit_WithBadCredentials_ShowsTheGenericErrorAndClearsThePassword()
    {
        var (form, service, tickets) = Render(SignInOutcome.Invalid);
        Submit(form, "officer", "not-the-password");
        form.Find("[data-test=login-error]").TextContent.ShouldContain("用户名或密码不正确");
        service.Calls.ShouldBe([("officer", "not-the-password")]);
        tickets.ShouldBeEmpty();
        form.Find("#login-password").GetAttribute("value").ShouldBeNullOrEmpty();
    }

    [Fact]
    public void Submit_WhenLockedOut_ShowsTheLockoutMessage()
    {
        var (form, _, tickets) = Render(SignInOutcome.LockedOut);
        Submit(form, "officer", "whatever-password");
        var error = form.Find("[data-test=login-error]").TextContent;
        error.ShouldContain("锁定 15 分钟");
        tickets.ShouldBeEmpty();
    }

    [Fact]
    public void Submit_WithEmptyFields_ShowsFieldErrorsAndDoesNotCallTheService()
    {
        var (form, service, _) = Render(SignInOutcome.Success);
        form.Find("form").Submit();
        form.Markup.ShouldContain("请输入用户名。");
        form.Markup.ShouldContain("请输入密码。");
        service.Calls.ShouldBeEmpty();
    }

    [Fact]
    public void Submit_WithGoodCredentials_RaisesTheTicket()
    {
        var (form, _, tickets) = Render(SignInOutcome.Success);
        Submit(form, "admin", "loanoffice-demo-2026");
        tickets.ShouldBe(["ticket-123"]);
        form.FindAll("[data-test=login-error]").ShouldBeEmpty();
    }
}

public class LoginFormEnglishTests : ComponentTestBase
{
    public LoginFormEnglishTests() : base("en") { }

    [Fact]
    public void Submit_WithBadCredentials_InEnglish_ShowsTheEnglishMessage()
    {
        Services.AddSingleton<ISignInService>(new FixedSignIn());
        var form = Render<LoginForm>();
        form.Find("#login-username").Input("x");
        form.Find("#login-password").Input("y");
        form.Find("form").Submit();
        form.Find("[data-test=login-error]").TextContent.ShouldContain("The user name or password is incorrect.");
    }

    private sealed class FixedSignIn : ISignInService
    {
        public Task<SignInAttempt> CheckAsync(string userName, string password) => Task.FromResult(new SignInAttempt(SignInOutcome.Invalid));

        public Task<SignInAttempt> CheckSecondFactorAsync(string pending, string code) => Task.FromResult(new SignInAttempt(SignInOutcome.Invalid));
    }
}
