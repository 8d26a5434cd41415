using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LoanOffice.Data.Seeding;
using Shouldly;

namespace LoanOffice.Tests.Support;

/// <summary>
/// The officers' app as a test drives it: registers a device and signs every request as the README documents it —
/// HMAC-SHA256(key, "POST\n" + path + "\n" + unix seconds + "\n" + hex(SHA-256(body))), Base64 — computed here from that
/// description, not with the app's code.
/// </summary>
public sealed record FieldDeviceClient(HttpClient Client, Guid Id, byte[] Key, Func<DateTimeOffset> Now)
{
    public static async Task<FieldDeviceClient> RegisterAsync(HttpClient client, string user, Func<DateTimeOffset> now)
    {
        var response = await client.PostAsJsonAsync("/api/v1/field/devices", new { userName = user, password = DemoCompanySeeder.DemoPassword, deviceName = user + " 的手机" });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return new FieldDeviceClient(client, body.GetProperty("deviceId").GetGuid(), Convert.FromBase64String(body.GetProperty("key").GetString()!), now);
    }

    public Task<HttpResponseMessage> SendAsync(string path, object body) => SendRawAsync(path, JsonSerializer.Serialize(body), Now().ToUnixTimeSeconds());

    /// <summary>A signed GET (the body signed is empty).</summary>
    public Task<HttpResponseMessage> GetAsync(string path) => SendRawAsync(path, "", Now().ToUnixTimeSeconds(), method: "GET");

    public async Task<HttpResponseMessage> SendRawAsync(string path, string body, long unixSeconds, bool tamper = false, string method = "POST")
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var canonical = $"{method}\n{path}\n{unixSeconds}\n{Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant()}";
        using var hmac = new HMACSHA256(Key);
        var signature = Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(canonical)));
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method != "GET")
        {
            request.Content = new ByteArrayContent(tamper ? Encoding.UTF8.GetBytes(body.Replace("30.28", "31.28", StringComparison.Ordinal)) : bytes);
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        }

        request.Headers.Add("X-Device-Id", Id.ToString());
        request.Headers.Add("X-Timestamp", unixSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("X-Signature", signature);
        return await Client.SendAsync(request);
    }

    /// <summary>签到 at a position, now.</summary>
    public async Task SignInAsync(double latitude, double longitude)
    {
        var response = await SendAsync("/api/v1/field/sign-in", new { at = Now().AddSeconds(-5), latitude, longitude, accuracy = 8 });
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    /// <summary>One point now, accepted.</summary>
    public async Task PingAsync(long sequence, double latitude, double longitude)
    {
        var response = await SendAsync("/api/v1/field/pings", new { points = new[] { new { sequence, at = Now().AddSeconds(-1), latitude, longitude, accuracy = 10, speed = 1.0, source = "Gps", mock = false } } });
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accepted").GetInt32().ShouldBe(1);
    }
}
