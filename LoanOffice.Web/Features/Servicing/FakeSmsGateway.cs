using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;

namespace LoanOffice.Web.Features.Servicing;

public sealed record FakeSms(Guid Id, string To, string Text, string IdempotencyKey, DateTimeOffset ReceivedAt);

/// <summary>
/// A local stand-in for the SMS gateway, for development and tests (<c>./loanoffice fake-sms-gateway</c>):
/// <c>POST /sms</c> takes the dispatcher's JSON {id, to, text}, records it once per Idempotency-Key (a retry of an
/// accepted message is answered 200 and not recorded again); <c>GET /sms</c> lists what was received. It can be
/// told to answer 503 (<see cref="Failing"/>) to play a gateway that is down.
/// </summary>
public sealed class FakeSmsGateway : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<FakeSms> _accepted = new();
    private readonly ConcurrentDictionary<string, byte> _keys = new(StringComparer.Ordinal);
    private readonly TextWriter? _echo;
    private int _requests;

    private FakeSmsGateway(WebApplication app, TextWriter? echo)
    {
        _app = app;
        _echo = echo;
    }

    /// <summary>When set, every POST is answered 503 Service Unavailable.</summary>
    public bool Failing { get; set; }

    /// <summary>Called with each message before it is answered (a test looks at the database while the sender waits).</summary>
    public Func<Guid, Task>? WhileSending { get; set; }

    /// <summary>Every POST seen, accepted, duplicate or refused.</summary>
    public int Requests => _requests;

    public IReadOnlyList<FakeSms> Received => [.. _accepted];

    /// <summary>The URL to give the dispatcher (<c>Sms:GatewayUrl</c>).</summary>
    public string SmsUrl { get; private set; } = string.Empty;

    public static async Task<FakeSmsGateway> StartAsync(int port = 0, TextWriter? echo = null, CancellationToken ct = default)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        var app = builder.Build();
        var gateway = new FakeSmsGateway(app, echo);
        app.MapPost("/sms", gateway.ReceiveAsync);
        app.MapGet("/sms", () => Results.Json(gateway.Received));
        await app.StartAsync(ct);
        gateway.SmsUrl = app.Urls.First().TrimEnd('/') + "/sms";
        return gateway;
    }

    private async Task<IResult> ReceiveAsync(HttpRequest request)
    {
        Interlocked.Increment(ref _requests);
        if (Failing) return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
        var key = request.Headers["Idempotency-Key"].ToString();
        if (string.IsNullOrEmpty(key)) return Results.BadRequest(new { error = "Idempotency-Key header is required" });
        Message? body;
        try
        {
            body = await request.ReadFromJsonAsync<Message>(JsonSerializerOptions.Web);
        }
        catch (JsonException)
        {
            return Results.BadRequest(new { error = "the body is not JSON" });
        }

        if (body is null || body.Id == Guid.Empty || string.IsNullOrWhiteSpace(body.To) || string.IsNullOrWhiteSpace(body.Text))
            return Results.BadRequest(new { error = "id, to and text are required" });
        if (WhileSending is { } hook) await hook(body.Id);
        if (!_keys.TryAdd(key, 0)) return Results.Ok(new { accepted = true, duplicate = true });
        var sms = new FakeSms(body.Id, body.To, body.Text, key, DateTimeOffset.UtcNow);
        _accepted.Enqueue(sms);
        _echo?.WriteLine($"{sms.ReceivedAt:HH:mm:ss} → {sms.To}: {sms.Text}");
        return Results.Ok(new { accepted = true, duplicate = false });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed record Message(Guid Id, string? To, string? Text);

    /// <summary><c>./loanoffice fake-sms-gateway [--port 5599]</c>: runs until Ctrl-C, printing each message.</summary>
    public static int RunCommand(string[] args)
    {
        var port = 5599;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--port" && i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var p) && p is > 0 and < 65536)
            {
                port = p;
                i++;
            }
            else
            {
                Console.Error.WriteLine($"Unknown or invalid argument '{args[i]}'. Usage: fake-sms-gateway [--port 1-65535]");
                return 2;
            }
        }

        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        var gateway = StartAsync(port, Console.Out).GetAwaiter().GetResult();
        Console.WriteLine($"Fake SMS gateway listening on {gateway.SmsUrl} (GET it to list what was received).");
        Console.WriteLine($"Start the app with Sms__GatewayUrl={gateway.SmsUrl} to send reminders here. Ctrl-C stops.");
        try
        {
            Task.Delay(Timeout.Infinite, stop.Token).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            // Ctrl-C
        }

        gateway.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return 0;
    }
}
