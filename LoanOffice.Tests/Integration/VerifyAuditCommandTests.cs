using LoanOffice.Data.Auditing;
using LoanOffice.Domain.Organisation;
using LoanOffice.Tests.Architecture;
using LoanOffice.Tests.Support;
using Npgsql;
using Shouldly;

namespace LoanOffice.Tests.Integration;

/// <summary>Runs the real verify-audit verb (the LoanOffice.Web executable) against a database of its own and tampers with it.</summary>
[Collection(AuditCollection.Name)]
public class VerifyAuditCommandTests
{
    private static async Task<(int Exit, string Output)> RunVerbAsync(string connectionString, params string[] args)
    {
        var (exit, stdout, stderr) = await TestCli.RunAsync(args[0], args[1..], environment: new Dictionary<string, string> { ["ConnectionStrings__Default"] = connectionString });
        return (exit, stdout + stderr);
    }

    [Fact]
    public async Task VerifyAudit_IntactChainThenTamperedRow_ReportsTheBrokenLink()
    {
        var conn = new NpgsqlConnectionStringBuilder(TestDatabase.ConnectionString) { Database = "loanoffice_test_tamper" }.ConnectionString;
        await TestDatabase.RecreateAsync(conn);
        (await RunVerbAsync(conn, "migrate")).Exit.ShouldBe(0);
        var seeded = await RunVerbAsync(conn, "seed-demo");
        seeded.Exit.ShouldBe(0, seeded.Output);

        var intact = await RunVerbAsync(conn, "verify-audit");
        intact.Exit.ShouldBe(0, intact.Output);
        intact.Output.ShouldMatch(@"verify-audit: intact, \d+ rows");

        // Tamper as the table owner can: switch the triggers off, rewrite a row, switch them back on.
        await using (var c = new NpgsqlConnection(conn))
        {
            await c.OpenAsync();
            await using var cmd = new NpgsqlCommand("""
                ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_delete;
                UPDATE audit_log SET actor = 'user:mallory' WHERE seq = 3;
                ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update_delete;
                """, c);
            await cmd.ExecuteNonQueryAsync();
        }

        var broken = await RunVerbAsync(conn, "verify-audit");
        broken.Exit.ShouldBe(1);
        broken.Output.ShouldContain("BROKEN at sequence 3");

        NpgsqlConnection.ClearAllPools();
        await TestDatabase.DropAsync(conn);
    }

    [Fact]
    public async Task SeedDemo_SecondRun_SaysNothingChanged()
    {
        await TestDatabase.EnsureReadyAsync();
        var second = await RunVerbAsync(TestDatabase.ConnectionString, "seed-demo");
        second.Exit.ShouldBe(0, second.Output);
        second.Output.ShouldContain("nothing changed");
    }
}
