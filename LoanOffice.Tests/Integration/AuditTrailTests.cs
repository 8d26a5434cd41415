using LoanOffice.Data.Auditing;
using LoanOffice.Domain.Organisation;
using LoanOffice.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Shouldly;

namespace LoanOffice.Tests.Integration;

[Collection(AuditCollection.Name)]
public class AuditTrailTests : IAsyncLifetime
{
    public Task InitializeAsync() => TestDatabase.EnsureReadyAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private static async Task<Region> AddRegionAsync(string actor)
    {
        await using var services = TestDatabase.BuildServices(actor);
        await using var db = await TestDatabase.OpenAsync(services);
        var region = Region.Create("R" + Random.Shared.Next(100_000, 999_999), "测试区域").Value!;
        db.Regions.Add(region);
        await db.SaveChangesAsync();
        return region;
    }

    [Fact]
    public async Task SaveChanges_WritesAnAuditRowWithActorAndChangesInTheSameTransaction()
    {
        var region = await AddRegionAsync("audit-test");
        await using var services = TestDatabase.BuildServices("audit-rename");
        await using (var db = await TestDatabase.OpenAsync(services))
        {
            var loaded = await db.Regions.SingleAsync(r => r.Id == region.Id);
            loaded.Rename("改名后的区域").IsSuccess.ShouldBeTrue();
            await db.SaveChangesAsync();
        }

        await using var check = await TestDatabase.OpenAsync(services);
        var rows = await check.AuditEntries.Where(a => a.EntityType == "Region" && a.EntityKey == region.Id.ToString())
            .OrderBy(a => a.Sequence).ToListAsync();
        rows.Select(r => r.Action).ShouldBe(["Created", "Updated"]);
        rows[0].Actor.ShouldBe("system:audit-test");
        rows[1].Actor.ShouldBe("system:audit-rename");
        rows[1].Changes.ShouldContain("\"Name\":{\"before\":\"测试区域\",\"after\":\"改名后的区域\"}");
        rows[1].PreviousHash.ShouldNotBe(rows[1].Hash);
        rows[1].Hash.Length.ShouldBe(64);
    }

    [Fact]
    public async Task FailedSave_LeavesNoAuditRow()
    {
        var existing = await AddRegionAsync("audit-dup");
        await using var services = TestDatabase.BuildServices("audit-dup-2");
        await using var db = await TestDatabase.OpenAsync(services);
        var duplicate = Region.Create(existing.Code, "重复编码").Value!; // unique index violation
        db.Regions.Add(duplicate);
        await Should.ThrowAsync<DbUpdateException>(() => db.SaveChangesAsync());
        await using var check = await TestDatabase.OpenAsync(services);
        (await check.AuditEntries.CountAsync(a => a.EntityKey == duplicate.Id.ToString())).ShouldBe(0);
    }

    [Fact]
    public async Task UpdateOrDeleteOnAuditTable_IsRejectedByTheDatabase()
    {
        await AddRegionAsync("audit-append-only");
        await using var conn = new NpgsqlConnection(TestDatabase.ConnectionString);
        await conn.OpenAsync();
        foreach (var sql in new[]
                 {
                     "UPDATE audit_log SET actor = 'user:mallory' WHERE seq = (SELECT max(seq) FROM audit_log)",
                     "DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)",
                     "TRUNCATE audit_log",
                 })
        {
            await using var cmd = new NpgsqlCommand(sql, conn);
            var ex = await Should.ThrowAsync<PostgresException>(() => cmd.ExecuteNonQueryAsync());
            ex.MessageText.ShouldContain("append-only");
        }
    }

    [Fact]
    public async Task ConcurrentWriters_FormOneUnbrokenChain()
    {
        await Task.WhenAll(Enumerable.Range(0, 12).Select(i => AddRegionAsync("audit-concurrent-" + i)));
        await using var services = TestDatabase.BuildServices("verify");
        await using var db = await TestDatabase.OpenAsync(services);
        var result = await AuditVerifier.VerifyAsync(db);
        result.Intact.ShouldBeTrue(result.ToString());
        result.RowsChecked.ShouldBe(await db.AuditEntries.CountAsync());
    }

    /// <summary>
    /// A bulk writer (the import) appends its rows already sealed while ordinary writers commit around it, and writes
    /// an unsealed row in the same transaction: one unbroken chain; a client that merely sends chain fields gets its
    /// row sealed by the database as any other.
    /// </summary>
    [Fact]
    public async Task PresealedBulkRows_AndOrdinaryWriters_FormOneUnbrokenChain_AndForgedChainFieldsAreDiscarded()
    {
        async Task BulkAsync()
        {
            await using var conn = new NpgsqlConnection(TestDatabase.ConnectionString);
            await conn.OpenAsync();
            await using var tx = await conn.BeginTransactionAsync();
            await using (var cmd = new NpgsqlCommand("""
                INSERT INTO audit_log (occurred_at, actor, entity_type, entity_key, action, changes, seq, previous_hash, hash)
                VALUES (now(), 'bulk-test', 'Test', 'unsealed-in-bulk', 'Created', '{}', 0, '', '')
                """, conn)) await cmd.ExecuteNonQueryAsync();
            var audit = new PresealedAudit();
            audit.Add("bulk-test", DateTimeOffset.UtcNow, "Test", Enumerable.Range(0, 5_000).Select(i => ("bulk-" + i, "{\"n\":" + i + "}")));
            (await audit.WriteAsync(conn, CancellationToken.None)).ShouldBe(5_000L);
            await tx.CommitAsync();
        }

        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => AddRegionAsync("audit-around-bulk-" + i)).Append(BulkAsync()));
        await using (var conn = new NpgsqlConnection(TestDatabase.ConnectionString))
        {
            await conn.OpenAsync();
            await using var forged = new NpgsqlCommand("""
                INSERT INTO audit_log (occurred_at, actor, entity_type, entity_key, action, changes, seq, previous_hash, hash)
                VALUES (now(), 'forger', 'Test', 'forged', 'Created', '{}', 1, 'x', 'y') RETURNING id
                """, conn);
            var id = (long)(await forged.ExecuteScalarAsync())!;
            await using var check = new NpgsqlCommand("SELECT seq > 1 AND hash <> 'y' FROM audit_log WHERE id = @id", conn);
            check.Parameters.AddWithValue("id", id);
            ((bool)(await check.ExecuteScalarAsync())!).ShouldBeTrue("the database sealed the row itself");
        }

        await using var services = TestDatabase.BuildServices("verify");
        await using var db = await TestDatabase.OpenAsync(services);
        var result = await AuditVerifier.VerifyAsync(db);
        result.Intact.ShouldBeTrue(result.ToString());
        result.RowsChecked.ShouldBe(await db.AuditEntries.CountAsync());
        (await db.AuditEntries.CountAsync(a => a.Actor == "bulk-test")).ShouldBe(5_001);
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AuditCollection
{
    public const string Name = "audit chain (tampering runs alone)";
}
