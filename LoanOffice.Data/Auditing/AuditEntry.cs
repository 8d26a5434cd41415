namespace LoanOffice.Data.Auditing;

/// <summary>
/// One row of the append-only audit trail. Sequence, PreviousHash and Hash are set by the database trigger
/// (audit_log_chain) under an advisory lock, so concurrent transactions always form one unbroken chain.
/// </summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    public long Sequence { get; set; }
    public DateTimeOffset OccurredAt { get; set; }
    public string Actor { get; set; } = string.Empty;
    public string? ClientIp { get; set; }
    public string EntityType { get; set; } = string.Empty;
    public string EntityKey { get; set; } = string.Empty;
    public string Action { get; set; } = string.Empty;
    /// <summary>JSON: {"field": {"before": …, "after": …}, …}. Stored as text so its bytes are stable for hashing.</summary>
    public string Changes { get; set; } = "{}";
    public string PreviousHash { get; set; } = string.Empty;
    public string Hash { get; set; } = string.Empty;
}

/// <summary>Who is making the change, for the audit trail. Web requests and circuits supply the user; jobs "system:&lt;job&gt;".</summary>
public interface IAuditContext
{
    string Actor { get; }
    string? ClientIp { get; }
}

/// <summary>Work done by the system (a job, a channel's intake); the client's address when a request started it.</summary>
public sealed class SystemAuditContext(string job, string? clientIp = null) : IAuditContext
{
    public string Actor { get; } = "system:" + job;
    public string? ClientIp { get; } = clientIp;
}

/// <summary>Marks an entity whose changes are not audited (the audit rows themselves, tokens).</summary>
public interface INotAudited;
