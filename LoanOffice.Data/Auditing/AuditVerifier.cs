using LoanOffice.Domain.Auditing;
using Microsoft.EntityFrameworkCore;

namespace LoanOffice.Data.Auditing;

/// <summary>Walks the stored audit trail in sequence order (streamed, never loaded whole) and checks every link.</summary>
public static class AuditVerifier
{
    public static async Task<ChainVerification> VerifyAsync(LoanOfficeDbContext db, IProgress<long>? progress = null, CancellationToken ct = default)
    {
        var walker = new AuditChainWalker();
        var rows = db.AuditEntries.AsNoTracking().OrderBy(a => a.Sequence)
            .Select(a => new AuditRecord(a.Sequence, a.OccurredAt, a.Actor, a.ClientIp, a.EntityType, a.EntityKey, a.Action,
                a.Changes, a.PreviousHash, a.Hash))
            .AsAsyncEnumerable();
        long seen = 0;
        await foreach (var row in rows.WithCancellation(ct))
        {
            if (!walker.Accept(row)) break;
            if (++seen % 10_000 == 0) progress?.Report(seen);
        }

        return walker.Result;
    }
}
