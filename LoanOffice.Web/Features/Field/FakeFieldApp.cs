using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LoanOffice.Data.Seeding;
using LoanOffice.Domain.Field;

namespace LoanOffice.Web.Features.Field;

/// <summary>
/// <c>./loanoffice fake-field-app --officer officer</c>: an officer's phone played through the real field API —
/// registers a device with the officer's password, signs in for the day (or joins the open day), then walks a loop
/// around the officer's district posting one signed point (and now and then a heartbeat) every few seconds, so a
/// manager's map moves in front of a new user.
/// </summary>
public static class FakeFieldApp
{
    public static int RunCommand(string[] args)
    {
        string? officer = null, password = DemoCompanySeeder.DemoPassword;
        var url = Environment.GetEnvironmentVariable("LOANOFFICE_URL") ?? "http://127.0.0.1:5080";
        int points = 120;
        double every = 2;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--officer" when value is not null: officer = value; i++; break;
                case "--url" when value is not null: url = value.TrimEnd('/'); i++; break;
                case "--password" when value is not null: password = value; i++; break;
                case "--points" when int.TryParse(value, CultureInfo.InvariantCulture, out var n) && n is > 0 and <= 100_000: points = n; i++; break;
                case "--every" when double.TryParse(value, CultureInfo.InvariantCulture, out var s) && s is >= 0 and <= 3600: every = s; i++; break;
                default:
                    Console.Error.WriteLine($"Unknown or invalid argument '{args[i]}'. Usage: fake-field-app --officer NAME [--url URL] [--password P] [--points N] [--every SECONDS]");
                    return 2;
            }
        }

        if (officer is null)
        {
            Console.Error.WriteLine("fake-field-app: --officer NAME is required (a demo officer: officer, officer.sh, officer.sz)");
            return 2;
        }

        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
        try
        {
            return RunAsync(officer, password, url, points, TimeSpan.FromSeconds(every), Console.Out, stop.Token).GetAwaiter().GetResult();
        }
        catch (HttpRequestException ex)
        {
            Console.Error.WriteLine($"fake-field-app: cannot reach {url}: {ex.Message} (is ./loanoffice run serving it?)");
            return 1;
        }
        catch (OperationCanceledException)
        {
            return 0;
        }
    }

    public static async Task<int> RunAsync(string officer, string password, string url, int points, TimeSpan every, TextWriter output, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = new Uri(url + "/") };
        var registered = await http.PostAsJsonAsync("api/v1/field/devices", new { userName = officer, password, deviceName = "fake-field-app" }, ct);
        if (!registered.IsSuccessStatusCode)
        {
            await Console.Error.WriteLineAsync($"fake-field-app: registration refused ({(int)registered.StatusCode}): {await registered.Content.ReadAsStringAsync(ct)}");
            return 1;
        }

        var device = await registered.Content.ReadFromJsonAsync<JsonElement>(ct);
        var phone = new Phone(http, device.GetProperty("deviceId").GetGuid(), Convert.FromBase64String(device.GetProperty("key").GetString()!));
        var (lat0, lon0) = DemoField.HomeOf(officer);
        var signIn = await phone.PostAsync("/api/v1/field/sign-in", new { at = DateTimeOffset.UtcNow, latitude = lat0, longitude = lon0, accuracy = 8 }, ct);
        output.WriteLine(signIn.IsSuccessStatusCode ? $"{officer}: signed in at {lat0:0.0000}, {lon0:0.0000}" : $"{officer}: joins the day already open");
        var sequence = DateTimeOffset.UtcNow.ToUnixTimeSeconds() * 10; // a fresh device: any rising numbers
        for (var i = 0; i < points && !ct.IsCancellationRequested; i++)
        {
            // a loop of about 1.5 km round the district's centre
            var angle = 2 * Math.PI * i / Math.Max(points, 60);
            var (lat, lon) = (lat0 + 0.0022 * Math.Sin(angle), lon0 + 0.0026 * (1 - Math.Cos(angle)));
            var posted = await phone.PostAsync("/api/v1/field/pings", new
            {
                points = new[] { new { sequence = sequence + i, at = DateTimeOffset.UtcNow, latitude = lat, longitude = lon, accuracy = 9.0, speed = 1.4, source = "Gps", mock = false } },
            }, ct);
            output.WriteLine($"{officer}: point {i + 1}/{points} {lat:0.00000}, {lon:0.00000} → {(int)posted.StatusCode}");
            if (i % 10 == 0) await phone.PostAsync("/api/v1/field/heartbeat", new { gpsEnabled = true, battery = 80 - i / 20, network = "4g" }, ct);
            if (every > TimeSpan.Zero) await Task.Delay(every, ct);
        }

        return 0;
    }

    /// <summary>A signed POST of a JSON body, as the README documents it (<see cref="RequestSigning"/>; also the benchmark's).</summary>
    public static HttpRequestMessage SignedPost(string path, object body, Guid deviceId, byte[] key)
    {
        var bytes = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(body, JsonSerializerOptions.Web));
        var seconds = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.Add(FieldEndpoints.DeviceHeader, deviceId.ToString());
        request.Headers.Add(FieldEndpoints.TimestampHeader, seconds.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(FieldEndpoints.SignatureHeader, RequestSigning.Sign(key, RequestSigning.Canonical("POST", path, seconds, bytes)));
        return request;
    }

    private sealed record Phone(HttpClient Http, Guid Id, byte[] Key)
    {
        public async Task<HttpResponseMessage> PostAsync(string path, object body, CancellationToken ct)
        {
            using var request = SignedPost(path, body, Id, Key);
            return await Http.SendAsync(request, ct);
        }
    }
}
