using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using LoanOffice.Domain.Validation;

namespace LoanOffice.Bench;

/// <summary>
/// Load on POST /api/v1/intake/applications of a running app (the published build): N concurrent channel clients
/// for a fixed time, each request a valid application with a new resident ID; throughput and latency percentiles.
/// </summary>
public static class IntakeBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var url = Arg(args, "--url") ?? "http://127.0.0.1:5090";
        var seconds = int.Parse(Arg(args, "--seconds") ?? "20", CultureInfo.InvariantCulture);
        // a freshly started app is still JIT-compiling (tiered compilation) for the first ~20 s under load
        var warmup = int.Parse(Arg(args, "--warmup") ?? "20", CultureInfo.InvariantCulture);
        var concurrency = int.Parse(Arg(args, "--concurrency") ?? "16", CultureInfo.InvariantCulture);
        var key = Arg(args, "--key") ?? "demo-wechat-channel-key-2026";
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency * 2 }) { BaseAddress = new Uri(url) };
        http.DefaultRequestHeaders.Add("X-Api-Key", key);
        var serial = Random.Shared.Next(0, 100_000) * 1000L;
        var latencies = new System.Collections.Concurrent.ConcurrentBag<double>();
        var failures = 0;

        async Task Worker(TimeSpan duration, bool record)
        {
            var end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
            while (Stopwatch.GetTimestamp() < end)
            {
                var n = Interlocked.Increment(ref serial);
                var first17 = "3301061985" + (1 + n % 12).ToString("00", CultureInfo.InvariantCulture) + (1 + n / 12 % 28).ToString("00", CultureInfo.InvariantCulture) + (n / 336 % 1000).ToString("000", CultureInfo.InvariantCulture);
                var body = new
                {
                    name = "压测" + n, residentId = first17 + ResidentId.CheckCharacter(first17), mobile = "13800138000", district = "杭州市西湖区",
                    productCode = "CREDIT", amount = 50_000 + n % 100 * 100, months = 12, purpose = "经营周转", consent = true,
                };
                var start = Stopwatch.GetTimestamp();
                using var response = await http.PostAsJsonAsync("/api/v1/intake/applications", body);
                var ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                if (!record) continue;
                if (response.IsSuccessStatusCode) latencies.Add(ms);
                else Interlocked.Increment(ref failures);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Worker(TimeSpan.FromSeconds(warmup), record: false))); // warm-up
        var sw = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Worker(TimeSpan.FromSeconds(seconds), record: true)));
        var elapsed = sw.Elapsed.TotalSeconds;
        var sorted = latencies.Order().ToList();
        double P(double q) => sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];
        Console.WriteLine($"intake: {sorted.Count:N0} applications in {elapsed:0.0} s = {sorted.Count / elapsed:0} per second, {failures} failures, concurrency {concurrency}");
        Console.WriteLine($"latency ms: p50 {P(0.50):0.0}, p90 {P(0.90):0.0}, p99 {P(0.99):0.0}, max {sorted.LastOrDefault():0.0}");
        return failures == 0 ? 0 : 1;
    }

    private static string? Arg(string[] args, string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
