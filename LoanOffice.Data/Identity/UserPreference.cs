namespace LoanOffice.Data.Identity;

/// <summary>
/// A per-user screen setting (for example the review queue's filters), kept as JSON under a key. Not business data:
/// it is not audited, and a user only ever reads and writes their own.
/// </summary>
public sealed class UserPreference : Auditing.INotAudited
{
    public Guid UserId { get; set; }
    public string Key { get; set; } = string.Empty;
    public string Value { get; set; } = "{}";
    public DateTimeOffset UpdatedAt { get; set; }
}
