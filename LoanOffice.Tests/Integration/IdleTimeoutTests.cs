using System.Net;
using LoanOffice.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;
using Shouldly;

namespace LoanOffice.Tests.Integration;

/// <summary>The session's idle timeout (Security:IdleTimeout, 30 minutes): activity keeps it, 30 minutes without a request end it.</summary>
public class IdleTimeoutTests(IsolatedApp app) : IClassFixture<IsolatedApp>
{
    [Fact]
    public async Task ActivityKeepsTheSession_ThirtyQuietMinutesEndIt()
    {
        var client = await app.SignedInClientAsync("finance");
        (await client.GetAsync("/api/v1/loans")).StatusCode.ShouldBe(HttpStatusCode.OK);

        // 20 minutes later the page's keep-alive (the user is working): the cookie slides on
        app.Clock.Advance(TimeSpan.FromMinutes(20));
        (await client.GetAsync("/account/keep-alive")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        app.Clock.Advance(TimeSpan.FromMinutes(20));
        (await client.GetAsync("/api/v1/loans")).StatusCode.ShouldBe(HttpStatusCode.OK); // 40 minutes after sign-in, 20 after the last request

        // then nothing for 31 minutes: the session is over
        app.Clock.Advance(TimeSpan.FromMinutes(31));
        (await client.GetAsync("/api/v1/loans")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }
}
