using System.Security.Cryptography;
using System.Text;

namespace LoanOffice.Domain.Auditing;

/// <summary>One row of the audit trail as the hash chain sees it.</summary>
public sealed record AuditRecord(
    long Sequence,
    DateTimeOffset OccurredAt,
    string Actor,
    string? ClientIp,
    string EntityType,
    string EntityKey,
    string Action,
    string Changes,
    string PreviousHash,
    string Hash);

/// <summary>Result of walking the chain: intact, or the first row whose link is broken and why.</summary>
public sealed record ChainVerification(bool Intact, long RowsChecked, long? BrokenAtSequence, string? Reason)
{
    public override string ToString() => Intact
        ? $"intact, {RowsChecked} rows"
        : $"BROKEN at sequence {BrokenAtSequence}: {Reason} ({RowsChecked} rows checked before it)";
}

/// <summary>
/// The audit trail's hash chain. Each row stores SHA-256 over the previous row's hash and its own canonical content.
/// The database computes the same hash in a trigger (migration AuditTrail); this class is the reference the verifier uses.
/// Canonical content: every field as "byteLength:value|", so no choice of field values can shift text between fields.
/// </summary>
public static class AuditChain
{
    public static readonly string GenesisHash = new('0', 64);

    public static string Canonical(long sequence, DateTimeOffset occurredAt, string actor, string? clientIp,
        string entityType, string entityKey, string action, string changes)
    {
        var micros = (occurredAt.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
        var sb = new StringBuilder();
        foreach (var field in new[]
                 {
                     sequence.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     micros.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     actor, clientIp ?? string.Empty, entityType, entityKey, action, changes,
                 })
        {
            sb.Append(Encoding.UTF8.GetByteCount(field)).Append(':').Append(field).Append('|');
        }

        return sb.ToString();
    }

    public static string ComputeHash(string previousHash, string canonical)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(previousHash + canonical));
        return Convert.ToHexStringLower(bytes);
    }

    public static string ComputeHash(AuditRecord r) => ComputeHash(r.PreviousHash,
        Canonical(r.Sequence, r.OccurredAt, r.Actor, r.ClientIp, r.EntityType, r.EntityKey, r.Action, r.Changes));

    /// <summary>Walks rows in sequence order; stops at the first broken link.</summary>
    public static ChainVerification Verify(IEnumerable<AuditRecord> rowsInSequenceOrder)
    {
        var walker = new AuditChainWalker();
        foreach (var row in rowsInSequenceOrder)
        {
            if (!walker.Accept(row)) break;
        }

        return walker.Result;
    }
}

/// <summary>Checks a chain one row at a time, so a verifier can stream millions of rows with flat memory.</summary>
public sealed class AuditChainWalker
{
    private string _expectedPrevious = AuditChain.GenesisHash;
    private long _expectedSequence = 1;
    private long _checked;
    private ChainVerification? _broken;

    public ChainVerification Result => _broken ?? new ChainVerification(true, _checked, null, null);

    /// <summary>Returns false once a link is broken (the rest need not be read).</summary>
    public bool Accept(AuditRecord row)
    {
        if (_broken is not null) return false;
        string? reason = null;
        if (row.Sequence != _expectedSequence)
            reason = $"expected sequence {_expectedSequence} (a row is missing or was inserted)";
        else if (!string.Equals(row.PreviousHash, _expectedPrevious, StringComparison.Ordinal))
            reason = "the stored previous hash does not match the preceding row";
        else if (!string.Equals(AuditChain.ComputeHash(row), row.Hash, StringComparison.Ordinal))
            reason = "the row's content does not match its hash (altered)";
        if (reason is not null)
        {
            _broken = new ChainVerification(false, _checked, row.Sequence, reason);
            return false;
        }

        _expectedPrevious = row.Hash;
        _expectedSequence++;
        _checked++;
        return true;
    }
}
