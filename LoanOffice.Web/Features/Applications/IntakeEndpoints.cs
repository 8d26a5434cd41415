using LoanOffice.Web.Hosting;
using Microsoft.AspNetCore.Mvc;

namespace LoanOffice.Web.Features.Applications;

public static class IntakeEndpoints
{
    public const string RateLimitPolicy = "intake";

    /// <summary>Channel systems (WeChat form, website) post applications with their API key; public, rate-limited.</summary>
    public static IEndpointRouteBuilder MapIntakeEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/intake/applications", async (IntakeRequest request, HttpContext http, IntakeService intake,
                [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey) =>
            {
                var key = http.Request.Headers["X-Api-Key"].ToString();
                if (key.Length == 0) return Results.Problem(title: "API key required", detail: "Send the channel's key in the X-Api-Key header.", statusCode: 401);
                var channel = await intake.ChannelOfKeyAsync(key);
                if (channel is null) return Results.Problem(title: "Unknown API key", detail: "The X-Api-Key is not a key of an active channel.", statusCode: 401);
                var result = await intake.SubmitAsync(request, channel, idempotencyKey);
                if (!result.IsSuccess)
                {
                    return Problems.From(result.Error!); // a reused Idempotency-Key is 409
                }

                var receipt = result.Value!;
                return receipt.Replayed
                    ? Results.Ok(new { id = receipt.ApplicationId, number = receipt.Number, replayed = true })
                    : Results.Created($"/applications/{receipt.ApplicationId}", new { id = receipt.ApplicationId, number = receipt.Number, replayed = false });
            })
            .AllowAnonymous() // authenticated by the channel API key above, not by a staff cookie
            .RequireRateLimiting(RateLimitPolicy)
            .DisableAntiforgery()
            .WithTags("Intake");
        return app;
    }
}
