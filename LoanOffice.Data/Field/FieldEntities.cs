namespace LoanOffice.Data.Field;

/// <summary>
/// An officer's phone registered for field work: the key its requests are signed with (kept encrypted: the server
/// needs it to check signatures), when it was last used, and whether an admin or the officer's lead revoked it.
/// </summary>
public sealed class FieldDevice
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public string Name { get; set; } = string.Empty;
    public byte[] KeyCipher { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public string? RevokedBy { get; set; }
    public uint Version { get; set; }
}

/// <summary>A working day in the field (签到 → 签退): positions are recorded only while one is open.</summary>
public sealed class FieldSession
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public Guid DeviceId { get; set; }
    public DateTimeOffset SignedInAt { get; set; }
    public double SignInLatitude { get; set; }
    public double SignInLongitude { get; set; }
    public DateTimeOffset? SignedOutAt { get; set; }
    public double? SignOutLatitude { get; set; }
    public double? SignOutLongitude { get; set; }
    public uint Version { get; set; }
}
