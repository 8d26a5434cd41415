using System.Text.Json;
using LoanOffice.Domain.Common;
using LoanOffice.Web.Hosting;
using Microsoft.Extensions.Options;

namespace LoanOffice.Web.Features.Field;

/// <summary>
/// The officers' app API (<c>/api/v1/field/…</c>): register a device with the officer's credentials, then every call
/// signed with the device's key — headers <c>X-Device-Id</c>, <c>X-Timestamp</c> (Unix seconds) and
/// <c>X-Signature</c> = Base64(HMAC-SHA256(key, METHOD \n path \n timestamp \n hex(SHA-256(body)))).
/// </summary>
/// <param name="Version">The device row's version as listed (a concurrent change answers 409).</param>
public sealed record RevokeDevice(uint Version);

public static class FieldEndpoints
{
    public const string DeviceHeader = "X-Device-Id";
    public const string TimestampHeader = "X-Timestamp";
    public const string SignatureHeader = "X-Signature";

    public static IEndpointRouteBuilder MapFieldEndpoints(this IEndpointRouteBuilder app)
    {
        // the app's calls authenticate by the device's signature, not a staff cookie (AllowAnonymous on each); the
        // device list and revocation are for staff
        var group = app.MapGroup("/api/v1/field").WithTags("Field work");

        group.MapGet("/devices", async (FieldDevices devices, CancellationToken ct) =>
        {
            var list = await devices.ListAsync(ct);
            return list.IsSuccess ? Results.Ok(list.Value) : (IResult)Problems.From(list.Error!);
        }).RequireAuthorization(Security.Policies.FieldMap)
            .WithSummary("The officers' registered devices in the caller's scope (admin: all), with their last use and revocation")
            .Produces<IReadOnlyList<FieldDeviceRow>>();

        group.MapGet("/officers/{id:guid}/track", async (Guid id, string? date, string? format, FieldTracks tracks, CancellationToken ct) =>
        {
            if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var day))
                return Problems.From(Error.Of(ErrorCodes.Validation).At("date"));
            if (format is not ("csv" or "gpx")) return Problems.From(Error.Of(ErrorCodes.Validation).At("format"));
            var track = await tracks.DayAsync(id, day, "export", ct);
            if (!track.IsSuccess) return Problems.From(track.Error!);
            var name = $"track-{track.Value!.Date:yyyy-MM-dd}.{format}";
            return format == "csv"
                ? Results.File(System.Text.Encoding.UTF8.GetBytes(FieldTracks.Csv(track.Value)), "text/csv; charset=utf-8", name)
                : Results.File(System.Text.Encoding.UTF8.GetBytes(FieldTracks.Gpx(track.Value)), "application/gpx+xml", name);
        }).RequireAuthorization(Security.Policies.FieldMap)
            .WithSummary("An officer's day (China calendar date) as CSV or GPX (WGS-84, UTC times); every export is an audit row")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv").ProducesProblem(StatusCodes.Status404NotFound).ProducesValidationProblem();

        group.MapPost("/devices/{id:guid}/revoke", async (Guid id, RevokeDevice body, FieldDevices devices, CancellationToken ct) =>
        {
            var revoked = await devices.RevokeAsync(id, body.Version, ct);
            return revoked.IsSuccess ? Results.NoContent() : (IResult)Problems.From(revoked.Error!);
        }).RequireAuthorization(Security.Policies.FieldMap)
            .WithSummary("Revokes a device (admin, or the officer's lead / regional director); its requests are refused from then on")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        group.MapPost("/devices", async (DeviceRegistration request, FieldService field, CancellationToken ct) =>
        {
            var registered = await field.RegisterAsync(request, ct);
            if (!registered.IsSuccess)
                return registered.Error!.Code == ErrorCodes.FieldSignInFailed
                    ? Problems.WithStatus(registered.Error, StatusCodes.Status401Unauthorized, "Unauthorized")
                    : (IResult)Problems.From(registered.Error);
            return Results.Created($"/api/v1/field/devices/{registered.Value!.DeviceId}", registered.Value);
        }).AllowAnonymous().RequireRateLimiting(Applications.IntakeEndpoints.RateLimitPolicy)
            .WithSummary("Registers the officer's phone (user name, password, second factor where the user has one); answers the device id and its signing key, once")
            .Produces<DeviceRegistered>(StatusCodes.Status201Created).ProducesProblem(StatusCodes.Status401Unauthorized).ProducesValidationProblem();

        group.MapPost("/sign-in", (HttpContext http, FieldService field, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct) =>
                SignedAsync<WorkdayMark>(http, field, json.Value.SerializerOptions, async (caller, mark) =>
                {
                    var opened = await field.SignInAsync(caller, mark, ct);
                    return opened.IsSuccess ? Results.Ok(opened.Value) : Problems.From(opened.Error!);
                }, ct))
            .AllowAnonymous()
            .Accepts<WorkdayMark>("application/json").WithSummary("签到: opens the working day at a position (signed)")
            .Produces<WorkdayState>().ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        group.MapPost("/sign-out", (HttpContext http, FieldService field, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct) =>
                SignedAsync<WorkdayMark>(http, field, json.Value.SerializerOptions, async (caller, mark) =>
                {
                    var closed = await field.SignOutAsync(caller, mark, ct);
                    return closed.IsSuccess ? Results.Ok(closed.Value) : Problems.From(closed.Error!);
                }, ct))
            .AllowAnonymous()
            .Accepts<WorkdayMark>("application/json").WithSummary("签退: closes the working day; no position is recorded after it (signed)")
            .Produces<WorkdayState>().ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        group.MapPost("/pings", (HttpContext http, FieldService field, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct) =>
                SignedAsync<PingBatch>(http, field, json.Value.SerializerOptions, async (caller, batch) =>
                {
                    var outcome = await field.PingsAsync(caller, batch, ct);
                    if (outcome.IsSuccess) return Results.Ok(outcome.Value);
                    return outcome.Error!.Code == ErrorCodes.FieldNotYourDevice
                        ? Problems.WithStatus(outcome.Error, StatusCodes.Status403Forbidden, "Forbidden")
                        : Problems.From(outcome.Error!);
                }, ct))
            .AllowAnonymous()
            .Accepts<PingBatch>("application/json")
            .WithSummary("Location points in a batch (up to 1,000; signed): bad points refused one by one with reasons, the good ones kept, a point already received ignored")
            .Produces<PingOutcome>().ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesValidationProblem();

        group.MapPost("/heartbeat", (HttpContext http, FieldService field, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct) =>
                SignedAsync<FieldHeartbeat>(http, field, json.Value.SerializerOptions, async (caller, beat) =>
                {
                    var kept = await field.HeartbeatAsync(caller, beat, ct);
                    return kept.IsSuccess ? Results.NoContent() : Problems.From(kept.Error!);
                }, ct))
            .AllowAnonymous()
            .Accepts<FieldHeartbeat>("application/json").WithSummary("The app is alive (signed): location on or off, battery, network — apart from the points")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status401Unauthorized);

        return app;
    }

    /// <summary>The most a signed request's body may hold (a batch of 1,000 points, a photo in Base64).</summary>
    public const int MaxBodyBytes = 16 * 1024 * 1024;

    /// <summary>
    /// Checks a request's signature over its body; the device's officer then acts for the rest of the request (their
    /// roles and data scope, like a bearer token; the audit trail names the device).
    /// </summary>
    internal static async Task<(Result<FieldDeviceCaller> Caller, byte[] Body)> AuthenticateAsync(HttpContext http, FieldService field, CancellationToken ct)
    {
        if (http.Request.ContentLength > MaxBodyBytes) return (Error.Of(ErrorCodes.Validation).At("body"), []);
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, ct);
        if (buffer.Length > MaxBodyBytes) return (Error.Of(ErrorCodes.Validation).At("body"), []);
        var body = buffer.ToArray();
        var headers = http.Request.Headers;
        var caller = await field.AuthenticateAsync(headers[DeviceHeader], headers[TimestampHeader], headers[SignatureHeader], http.Request.Method,
            http.Request.Path + http.Request.QueryString, body, ct);
        if (!caller.IsSuccess) return (caller, body);
        var users = http.RequestServices.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Data.Identity.AppUser>>();
        var signIn = http.RequestServices.GetRequiredService<Microsoft.AspNetCore.Identity.SignInManager<Data.Identity.AppUser>>();
        var user = await users.FindByIdAsync(caller.Value!.UserId.ToString());
        if (user is null) return (Error.Of(ErrorCodes.FieldDeviceRevoked), body);
        var principal = await signIn.CreateUserPrincipalAsync(user);
        ((System.Security.Claims.ClaimsIdentity)principal.Identity!).AddClaim(new System.Security.Claims.Claim(Security.AccessTokens.TokenClaim, "device-" + caller.Value.DeviceId.ToString("N")[..8]));
        http.User = principal;
        return (caller, body);
    }

    /// <summary>A refused signature: 409 for a replay, 401 for the rest (a too-large body 400).</summary>
    internal static IResult Refused(Error error) => error.Code switch
    {
        ErrorCodes.FieldRequestReplayed => Problems.WithStatus(error, StatusCodes.Status409Conflict, "Conflict"),
        ErrorCodes.Validation => Problems.From(error),
        _ => Problems.WithStatus(error, StatusCodes.Status401Unauthorized, "Unauthorized"),
    };

    /// <summary>A signed call without a body (a GET).</summary>
    internal static async Task<IResult> SignedAsync(HttpContext http, FieldService field, Func<FieldDeviceCaller, Task<IResult>> call, CancellationToken ct)
    {
        var (caller, _) = await AuthenticateAsync(http, field, ct);
        return caller.IsSuccess ? await call(caller.Value!) : Refused(caller.Error!);
    }

    /// <summary>Reads the body, checks the request's signature, then reads the body as <typeparamref name="T"/> and runs the call.</summary>
    internal static async Task<IResult> SignedAsync<T>(HttpContext http, FieldService field, JsonSerializerOptions json, Func<FieldDeviceCaller, T, Task<IResult>> call,
        CancellationToken ct) where T : class
    {
        var (caller, body) = await AuthenticateAsync(http, field, ct);
        if (!caller.IsSuccess) return Refused(caller.Error!);
        T? request;
        try
        {
            request = JsonSerializer.Deserialize<T>(body, json);
        }
        catch (JsonException)
        {
            request = null;
        }

        if (request is null) return Problems.From(Error.Of(ErrorCodes.Validation).At("body"));
        http.Items[nameof(FieldDeviceCaller)] = caller.Value;
        return await call(caller.Value!, request);
    }
}
