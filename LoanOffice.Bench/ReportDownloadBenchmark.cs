using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using LoanOffice.Data.Identity;
using LoanOffice.Data.Seeding;
using LoanOffice.Domain.Validation;
using LoanOffice.Web.Security;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LoanOffice.Bench;

/// <summary>
/// Approval reports through HTTP, with the whole app in process (TestServer) on database <c>loanoffice_bench</c>:
/// N applications taken in through the intake API, then 100 concurrent report downloads by a signed-in Compliance user
/// (errors, p50/p99), then the ZIP of all N reports read as a stream while the process's memory is sampled.
/// </summary>
public static class ReportDownloadBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var count = QueueBenchmark.Arg(args, "--reports") is { } r ? int.Parse(r, CultureInfo.InvariantCulture) : 1000;
        var connection = (QueueBenchmark.Arg(args, "--connection")
                          ?? "Host=127.0.0.1;Port=55433;Database=loanoffice_bench;Username=loanoffice;Password=loanoffice-dev") + ";Command Timeout=0";
        await QueueBenchmark.Recreate(connection);
        Npgsql.NpgsqlConnection.ClearAllPools();
        await using (var services = QueueBenchmark.Services(connection))
        await using (var scope = services.CreateAsyncScope())
        {
            await Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.MigrateAsync(scope.ServiceProvider.GetRequiredService<LoanOffice.Data.LoanOfficeDbContext>().Database);
            await scope.ServiceProvider.GetRequiredService<DemoCompanySeeder>().SeedAsync();
        }

        await using var factory = new WebApplicationFactory<LoanOffice.Web.Features.Reports.ReportBundleService>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Production");
            b.UseSetting("ConnectionStrings:Default", connection);
            b.UseSetting("Logging:LogLevel:Default", "Warning");
            b.UseSetting("Jobs:Enabled", "false");
            b.UseSetting("Intake:RequestsPerMinute", "1000000");
        });
        // applications through the intake API (the demo channel's key)
        var intake = factory.CreateClient();
        intake.DefaultRequestHeaders.Add("X-Api-Key", DemoCompanySeeder.DemoChannelKey);
        var ids = new List<Guid>();
        var sw = Stopwatch.StartNew();
        for (var n = 0; n < count; n++)
        {
            var first17 = "3301061985" + (1 + n % 12).ToString("00", CultureInfo.InvariantCulture) + (1 + n / 12 % 28).ToString("00", CultureInfo.InvariantCulture) + (n / 336 % 1000).ToString("000", CultureInfo.InvariantCulture);
            using var response = await intake.PostAsJsonAsync("/api/v1/intake/applications", new
            {
                name = "报告" + n, residentId = first17 + ResidentId.CheckCharacter(first17), mobile = "13800138000", district = "杭州市西湖区",
                productCode = "CREDIT", amount = 50_000 + n % 100 * 100, months = 12, purpose = "经营周转", consent = true,
            });
            response.EnsureSuccessStatusCode();
            ids.Add((await response.Content.ReadFromJsonAsync<Receipt>())!.Id);
        }

        Console.WriteLine($"{count} applications taken in through the API in {sw.Elapsed.TotalSeconds:0.0} s");
        var compliance = await SignedInAsync(factory, "compliance");

        // 100 concurrent downloads
        for (var i = 0; i < 10; i++) (await compliance.GetAsync($"/api/v1/applications/{ids[i]}/approval-report.pdf")).EnsureSuccessStatusCode();
        var latencies = new System.Collections.Concurrent.ConcurrentBag<double>();
        var errors = 0;
        var wall = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 100).Select(async i =>
        {
            var start = Stopwatch.GetTimestamp();
            using var response = await compliance.GetAsync($"/api/v1/applications/{ids[i % ids.Count]}/approval-report.pdf");
            var bytes = await response.Content.ReadAsByteArrayAsync();
            latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            if (response.StatusCode != HttpStatusCode.OK || bytes.Length < 1000) Interlocked.Increment(ref errors);
        }));
        var sorted = latencies.Order().ToList();
        Console.WriteLine($"100 concurrent downloads: {errors} errors, wall {wall.Elapsed.TotalSeconds:0.00} s, p50 {sorted[49]:0} ms, p99 {sorted[98]:0} ms");

        // the ZIP of all of them, streamed; memory sampled meanwhile
        GC.Collect();
        var baseline = Process.GetCurrentProcess().WorkingSet64;
        long peak = baseline, managedPeak = GC.GetTotalMemory(false);
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, Process.GetCurrentProcess().WorkingSet64);
                managedPeak = Math.Max(managedPeak, GC.GetTotalMemory(false));
                await Task.Delay(100);
            }
        });
        var today = DateTime.UtcNow.AddHours(8).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        sw.Restart();
        using var zip = await compliance.GetAsync($"/api/v1/reports/approval-reports.zip?from={today}&to={today}", HttpCompletionOption.ResponseHeadersRead);
        zip.EnsureSuccessStatusCode();
        await using var body = await zip.Content.ReadAsStreamAsync();
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0) total += read;
        await sampling.CancelAsync();
        await sampler;
        Console.WriteLine($"ZIP of {count} reports: {total / 1024.0 / 1024.0:0.0} MB in {sw.Elapsed.TotalSeconds:0.0} s; working set {baseline / 1048576} MB before, peak {peak / 1048576} MB; managed heap peak {managedPeak / 1048576} MB");
        return errors == 0 ? 0 : 1;
    }

    private static async Task<HttpClient> SignedInAsync(WebApplicationFactory<LoanOffice.Web.Features.Reports.ReportBundleService> factory, string userName)
    {
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        string ticket;
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var user = await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByNameAsync(userName) ?? throw new InvalidOperationException(userName);
            ticket = scope.ServiceProvider.GetRequiredService<LoginTickets>().Issue(user);
        }

        var response = await client.GetAsync($"/account/complete-login?ticket={Uri.EscapeDataString(ticket)}&returnUrl=/");
        if (response.StatusCode != HttpStatusCode.Redirect) throw new InvalidOperationException("sign-in failed: " + response.StatusCode);
        return client;
    }

    private sealed record Receipt(Guid Id, string Number);
}
