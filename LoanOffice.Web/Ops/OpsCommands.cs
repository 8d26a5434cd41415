using LoanOffice.Data;
using LoanOffice.Data.Auditing;
using LoanOffice.Data.Seeding;
using LoanOffice.Web.Features.Servicing;
using LoanOffice.Web.Hosting;
using Microsoft.EntityFrameworkCore;

namespace LoanOffice.Web.Ops;

/// <summary>
/// The command-line verbs of <c>./loanoffice</c> other than run/test/stop. They run in a plain host with the same
/// configuration (appsettings, environment, ConnectionStrings__Default) and data services as the web app.
/// </summary>
public static class OpsCommands
{
    internal delegate Task<int> Command(IServiceProvider services, string[] args, CancellationToken ct);

    private static readonly Dictionary<string, (string Help, Command Run)> Commands = new(StringComparer.Ordinal)
    {
        ["migrate"] = ("apply EF Core migrations to the database", MigrateAsync),
        ["seed-demo"] = ("seed the demo company (idempotent)", SeedDemoAsync),
        ["verify-audit"] = ("walk the audit trail's hash chain and report the first broken link", VerifyAuditAsync),
        ["cob"] = ("close of business: --date yyyy-MM-dd (catching up every earlier date), or --status", CloseOfBusinessCommand.RunAsync),
        ["token"] = ("access tokens for integrations: create --user NAME --name LABEL [--days N] | revoke --name LABEL", TokenCommand.RunAsync),
        ["snapshots"] = ("the cockpit's month-end snapshots for a book's history before the close first ran (after an import): backfill", SnapshotsAsync),
        ["field-retention"] = ("drop the months of officers' tracks past Field:RetentionYears [--dry-run]", FieldRetentionAsync),
        ["backup"] = ("a consistent backup: DIR (pg_dump custom format in one snapshot, manifest with row counts and the audit chain's head)", BackupCommand.BackupAsync),
        ["restore"] = ("restore DIR into the configured (empty) database, then verify row counts and the audit chain", BackupCommand.RestoreAsync),
        ["rekey"] = ("re-encrypt personal data under the current Security:PersonalDataKey(Id) [--batch N] [--max-batches N] (resumable)", RekeyCommand.RunAsync),
        ["import"] = ("migration import: customers|loans|payments FILE.xlsx|FILE.csv [--dry-run] [--clean-rows-only] [--report FILE.xlsx]", ImportCommand.RunAsync),
    };

    /// <summary>Verbs that need no database and no host.</summary>
    private static readonly Dictionary<string, Func<string[], int>> PlainCommands = new(StringComparer.Ordinal)
    {
        ["schedule"] = a => Features.Calculator.ScheduleCommand.Run(a, Console.Out, Console.Error),
        ["fake-sms-gateway"] = Features.Servicing.FakeSmsGateway.RunCommand,
        ["fake-field-app"] = Features.Field.FakeFieldApp.RunCommand,
        ["simulate"] = a => Features.Calculator.SimulateCommand.Run(a, Console.In, Console.Out, Console.Error),
    };

    public static bool IsCommand(string[] args) => args.Length > 0 && (Commands.ContainsKey(args[0]) || PlainCommands.ContainsKey(args[0]));

    /// <summary>
    /// A first argument that is neither a verb nor a host option (<c>--urls …</c>): a mistyped or not (yet) existing
    /// verb, which must not start a web server.
    /// </summary>
    public static bool IsUnknownVerb(string[] args) => args.Length > 0 && !args[0].StartsWith('-') && !IsCommand(args);

    /// <summary>Names the verbs on standard error; the caller exits 2.</summary>
    public static int RefuseUnknown(string verb, TextWriter error)
    {
        error.WriteLine($"unknown verb '{verb}'. Verbs: run, test, stop, {string.Join(", ", Commands.Keys.Concat(PlainCommands.Keys))}");
        return 2;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var verb = args[0];
        if (PlainCommands.TryGetValue(verb, out var plain)) return plain(args[1..]);
        // The app's own services (a web application built but never started: no server, no jobs), so a verb works
        // exactly as the app does; the audit names the verb unless the work acts as a staff user (ActingUser).
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // EF logs the expected "history table missing" query of a first migration as an error; real failures still throw.
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore.Database.Command", LogLevel.None);
        builder.Services.AddLoanOfficeData(builder.Configuration);
        builder.Services.AddLoanOfficeWeb(builder.Configuration);
        builder.Logging.AddFilter("LoanOffice", LogLevel.Warning);
        builder.Services.AddScoped<IAuditContext>(sp => new VerbAuditContext(sp.GetRequiredService<Security.WebAuditContext>(), new SystemAuditContext("ops:" + verb)));
        builder.Services.AddScoped<DemoCompanySeeder>();
        await using var host = builder.Build();
        using var cts = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cts.Cancel(); };
        await using var scope = host.Services.CreateAsyncScope();
        try
        {
            return await Commands[verb].Run(scope.ServiceProvider, args[1..], cts.Token);
        }
        catch (Npgsql.NpgsqlException ex)
        {
            await Console.Error.WriteLineAsync($"{verb}: cannot reach the database: {ex.Message}");
            return 1;
        }
    }

    private static async Task<int> SnapshotsAsync(IServiceProvider services, string[] args, CancellationToken ct)
    {
        if (args is not ["backfill"])
        {
            await Console.Error.WriteLineAsync("usage: snapshots backfill   (writes the missing month-end snapshots before the last closed date)");
            return 2;
        }

        var written = await services.GetRequiredService<Features.Cockpit.SnapshotBackfill>()
            .MonthEndsAsync(Components.Shared.Fmt.LastEndedBusinessDate(services.GetRequiredService<TimeProvider>()), ct);
        Console.WriteLine(written.Count == 0
            ? "snapshots: every month-end already has its snapshot (nothing written)"
            : $"snapshots: {written.Count} month-ends written ({string.Join(", ", written.Select(d => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)))})");
        return 0;
    }

    private static async Task<int> FieldRetentionAsync(IServiceProvider services, string[] args, CancellationToken ct)
    {
        var dry = args.Contains("--dry-run");
        if (args.Any(a => a != "--dry-run"))
        {
            await Console.Error.WriteLineAsync("usage: field-retention [--dry-run]");
            return 2;
        }

        var dropped = await services.GetRequiredService<Features.Field.FieldRetention>().RunAsync(dry, ct);
        Console.WriteLine(dropped.Count == 0
            ? "field-retention: no month of tracks is past the retention"
            : $"field-retention: {(dry ? "would drop" : "dropped")} {string.Join(", ", dropped)}");
        return 0;
    }

    private static async Task<int> MigrateAsync(IServiceProvider services, string[] args, CancellationToken ct)
    {
        var db = services.GetRequiredService<LoanOfficeDbContext>();
        var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
        await db.Database.MigrateAsync(ct);
        Console.WriteLine(pending.Count == 0 ? "migrate: the database is up to date" : $"migrate: applied {string.Join(", ", pending)}");
        return 0;
    }

    private static async Task<int> SeedDemoAsync(IServiceProvider services, string[] args, CancellationToken ct)
    {
        var changes = await services.GetRequiredService<DemoCompanySeeder>().SeedAsync(ct);
        Console.WriteLine(changes == 0 ? "seed-demo: the demo company is already present (nothing changed)" : $"seed-demo: {changes} records created");
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var history = await Features.Import.DemoHistory.SeedAsync(services, services.GetRequiredService<TimeProvider>(), ct);
        Console.WriteLine(history.AlreadyThere
            ? "seed-demo: the demo book is already there (the close is caught up to yesterday)"
            : $"seed-demo: {history.Customers} customers, {history.Loans} loans with {history.Payments} payments imported, {history.Applications} applications received"
              + $" ({System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s)");
        var field = await Features.Field.DemoField.SeedAsync(services, services.GetRequiredService<TimeProvider>(), ct);
        Console.WriteLine(field.AlreadyThere
            ? "seed-demo: the officers' demo tracks are already there"
            : $"seed-demo: field work for {field.Officers} officers: {field.Points} track points (yesterday and today so far), {field.Visits} visits");
        return 0;
    }

    private static async Task<int> VerifyAuditAsync(IServiceProvider services, string[] args, CancellationToken ct)
    {
        var db = services.GetRequiredService<LoanOfficeDbContext>();
        var result = await AuditVerifier.VerifyAsync(db, new Progress<long>(n => Console.Error.Write($"\r{n} rows checked")), ct);
        Console.Error.Write("\r");
        Console.WriteLine("verify-audit: " + result);
        return result.Intact ? 0 : 1;
    }

    /// <summary>The verb is the actor, unless the work acts as a staff user (asked at every write, not when resolved).</summary>
    private sealed class VerbAuditContext(Security.WebAuditContext acting, SystemAuditContext verb) : IAuditContext
    {
        public string Actor => acting.HasActor ? acting.Actor : verb.Actor;

        public string? ClientIp => acting.HasActor ? acting.ClientIp : null;
    }
}
