using LoanOffice.Data;
using LoanOffice.Data.Seeding;
using LoanOffice.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Shouldly;

namespace LoanOffice.Tests.Integration;

public class MigrationTests : IAsyncLifetime
{
    public Task InitializeAsync() => TestDatabase.EnsureReadyAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Migrate_OnAnEmptyDatabase_CreatesTheSchemaAndTheAuditTriggers()
    {
        var conn = new NpgsqlConnectionStringBuilder(TestDatabase.ConnectionString) { Database = "loanoffice_test_empty" }.ConnectionString;
        await TestDatabase.RecreateAsync(conn);
        await using var services = TestDatabase.BuildServices("test", conn);
        await using (var db = await TestDatabase.OpenAsync(services))
        {
            (await db.Database.GetPendingMigrationsAsync()).ShouldNotBeEmpty();
            await db.Database.MigrateAsync();
            (await db.Database.GetPendingMigrationsAsync()).ShouldBeEmpty();
            var triggers = await db.Database.SqlQueryRaw<string>(
                "SELECT tgname AS \"Value\" FROM pg_trigger WHERE tgrelid = 'audit_log'::regclass AND NOT tgisinternal ORDER BY 1").ToListAsync();
            triggers.ShouldBe(["audit_log_no_truncate", "audit_log_no_update_delete", "audit_log_seal", "audit_log_unsealed"]);
            (await db.Teams.CountAsync()).ShouldBe(0);
        }

        NpgsqlConnection.ClearAllPools();
        await TestDatabase.DropAsync(conn);
    }

    [Fact]
    public async Task Model_HasNoChangesWithoutAMigration()
    {
        await using var services = TestDatabase.BuildServices("test");
        await using var db = await TestDatabase.OpenAsync(services);
        db.Database.HasPendingModelChanges().ShouldBeFalse(
            "the EF model differs from the last migration: run 'dotnet ef migrations add <Name> --project LoanOffice.Data --startup-project LoanOffice.Data'");
    }

    [Fact]
    public async Task SeedDemo_RunTwice_ChangesNothingTheSecondTime()
    {
        await using var services = TestDatabase.BuildServices("test");
        int auditRowsBefore;
        await using (var db = await TestDatabase.OpenAsync(services)) auditRowsBefore = await db.AuditEntries.CountAsync(a => a.Actor == "system:test-setup");
        await using (var scope = services.CreateAsyncScope())
        {
            (await scope.ServiceProvider.GetRequiredService<DemoCompanySeeder>().SeedAsync()).ShouldBe(0);
        }

        await using var check = await TestDatabase.OpenAsync(services);
        (await check.Regions.CountAsync(r => r.Code == "EAST" || r.Code == "SOUTH")).ShouldBe(2);
        (await check.Teams.CountAsync(t => t.Code == "SH01" || t.Code == "HZ01" || t.Code == "SZ01")).ShouldBe(3);
        var demoNames = DemoCompanySeeder.DemoUsers.Select(u => u.UserName).ToList();
        (await check.Users.CountAsync(u => demoNames.Contains(u.UserName!))).ShouldBe(demoNames.Count);
        (await check.AuditEntries.CountAsync(a => a.Actor == "system:test-setup")).ShouldBe(auditRowsBefore);
        // two centralized teams with three approvers each, one committee team
        var groups = await check.TeamApprovers.GroupBy(a => a.TeamId).Select(g => g.Count()).ToListAsync();
        groups.ShouldBe([3, 3], ignoreOrder: true);
    }
}
