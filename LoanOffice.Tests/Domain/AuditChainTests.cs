using LoanOffice.Domain.Auditing;
using Shouldly;

namespace LoanOffice.Tests.Domain;

public class AuditChainTests
{
    private static List<AuditRecord> Chain(int count)
    {
        var rows = new List<AuditRecord>();
        var previous = AuditChain.GenesisHash;
        var t0 = new DateTimeOffset(2026, 11, 22, 1, 2, 3, TimeSpan.Zero).AddTicks(4560); // micro-second precision, as stored
        for (var i = 1; i <= count; i++)
        {
            var row = new AuditRecord(i, t0.AddSeconds(i), "user:admin", "10.0.0.1", "Team", Guid.NewGuid().ToString(), "Updated",
                "{\"Name\":{\"before\":\"旧" + i + "\",\"after\":\"新" + i + "\"}}", previous, string.Empty);
            row = row with { Hash = AuditChain.ComputeHash(row) };
            rows.Add(row);
            previous = row.Hash;
        }

        return rows;
    }

    [Fact]
    public void Verify_UntouchedChain_IsIntactWithRowCount()
    {
        var result = AuditChain.Verify(Chain(5));
        result.Intact.ShouldBeTrue();
        result.RowsChecked.ShouldBe(5);
        result.ToString().ShouldBe("intact, 5 rows");
    }

    [Fact]
    public void Verify_AlteredContent_ReportsThatRow()
    {
        var rows = Chain(5);
        rows[2] = rows[2] with { Changes = """{"Name":{"before":"x","after":"y"}}""" };
        var result = AuditChain.Verify(rows);
        result.Intact.ShouldBeFalse();
        result.BrokenAtSequence.ShouldBe(3);
        result.Reason!.ShouldContain("altered");
    }

    [Fact]
    public void Verify_AlteredActorWithRecomputedHash_BreaksTheNextLink()
    {
        var rows = Chain(4);
        var forged = rows[1] with { Actor = "user:someone-else" };
        rows[1] = forged with { Hash = AuditChain.ComputeHash(forged) };
        var result = AuditChain.Verify(rows);
        result.BrokenAtSequence.ShouldBe(3);
        result.Reason!.ShouldContain("previous hash");
    }

    [Fact]
    public void Verify_DeletedRow_ReportsTheGap()
    {
        var rows = Chain(4);
        rows.RemoveAt(1);
        var result = AuditChain.Verify(rows);
        result.Intact.ShouldBeFalse();
        result.BrokenAtSequence.ShouldBe(3);
        result.Reason!.ShouldContain("expected sequence 2");
    }

    [Fact]
    public void Canonical_LengthPrefixesFields_SoShiftingTextBetweenFieldsChangesTheHash()
    {
        var t = DateTimeOffset.UnixEpoch;
        var a = AuditChain.Canonical(1, t, "ab", "c", "T", "k", "Updated", "{}");
        var b = AuditChain.Canonical(1, t, "a", "bc", "T", "k", "Updated", "{}");
        a.ShouldNotBe(b);
        AuditChain.ComputeHash(AuditChain.GenesisHash, a).ShouldNotBe(AuditChain.ComputeHash(AuditChain.GenesisHash, b));
        a.ShouldBe("1:1|1:0|2:ab|1:c|1:T|1:k|7:Updated|2:{}|");
    }

    [Fact]
    public void Canonical_CountsUtf8BytesForChineseText()
    {
        AuditChain.Canonical(7, DateTimeOffset.UnixEpoch.AddTicks(10), "张伟", null, "T", "k", "Created", "{}")
            .ShouldBe("1:7|1:1|6:张伟|0:|1:T|1:k|7:Created|2:{}|");
    }
}
