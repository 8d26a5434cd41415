using LoanOffice.Tests.Support;
using Npgsql;
using Shouldly;

namespace LoanOffice.Tests.Integration;

/// <summary>./loanoffice backup and restore: the demo company round-trips, row for row, with its audit chain intact.</summary>
public class BackupRestoreTests
{
    private static Dictionary<string, string> On(string connection) => new() { ["ConnectionStrings__Default"] = connection };

    [Fact]
    public async Task TheDemoCompany_RoundTrips_RowCountsAndAuditChainVerified_AndARestoreNeverMerges()
    {
        await TestDatabase.EnsureReadyAsync();
        var source = await TestDatabase.CreateIsolatedAsync("backup");
        var target = new NpgsqlConnectionStringBuilder(source) { Database = "loanoffice_restore_" + Guid.NewGuid().ToString("N")[..8] }.ConnectionString;
        var dir = Path.Combine(Path.GetTempPath(), "lo-backup-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            // the demo company (organisation, staff, products) with a book: loans with their schedules, payments and audit
            await using (var app = new AppFactory { Connection = source })
                for (var i = 0; i < 3; i++) await TestLoans.CreateAsync(app.Services, new DateOnly(2026, 3, 8).AddDays(i), new TestLoans.Terms());
            var backup = await TestCli.RunAsync("backup", [dir], environment: On(source));
            backup.Exit.ShouldBe(0, backup.Stderr);
            backup.Stdout.ShouldContain("backup: ");
            var manifest = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(dir, "manifest.json"))).RootElement;
            var tables = manifest.GetProperty("Tables");
            tables.GetProperty("public.loans").GetInt64().ShouldBeGreaterThan(0); // the demo company's book
            tables.GetProperty("public.application_document_contents").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Number); // documents are in the database
            manifest.GetProperty("AuditHead").GetProperty("Sequence").GetInt64().ShouldBeGreaterThan(0);

            var restore = await TestCli.RunAsync("restore", [dir], environment: On(target));
            restore.Exit.ShouldBe(0, restore.Stderr);
            restore.Stdout.ShouldContain("audit chain intact");
            restore.Stdout.ShouldContain("verified");
            await using (var restored = new NpgsqlConnection(target))
            {
                await restored.OpenAsync();
                var loans = (long)(await new NpgsqlCommand("SELECT count(*) FROM loans", restored).ExecuteScalarAsync())!;
                loans.ShouldBe(tables.GetProperty("public.loans").GetInt64());
            }

            // into a database that already holds data: refused, nothing merged
            var again = await TestCli.RunAsync("restore", [dir], environment: On(target));
            again.Exit.ShouldBe(2);
            again.Stderr.ShouldContain("not empty");

            // a damaged dump is refused before anything is touched
            await using (var dump = File.OpenWrite(Path.Combine(dir, "loanoffice.dump")))
            {
                dump.Seek(-10, SeekOrigin.End);
                dump.WriteByte(0x42);
            }

            var damaged = await TestCli.RunAsync("restore", [dir], environment: On(target));
            damaged.Exit.ShouldBe(1);
            damaged.Stderr.ShouldContain("damaged");
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
            await TestDatabase.DropAsync(target);
            await TestDatabase.DropAsync(source);
        }
    }
}
