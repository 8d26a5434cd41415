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

/// <summary>
/// A visit "at the customer" (上门): for an application (investigation), a collection case, or a document photo;
/// checked against the officer's track and the photo's position (<see cref="Domain.Field.VisitRules"/>) when recorded.
/// </summary>
public sealed class FieldVisit
{
    public Guid Id { get; set; }
    public Guid OfficerId { get; set; }
    public Guid CustomerId { get; set; }
    public Domain.Field.VisitKind Kind { get; set; }
    public Guid? ApplicationId { get; set; }
    public Guid? CaseId { get; set; }
    public Guid? DocumentId { get; set; }
    public Guid? ActionId { get; set; }
    public DateTimeOffset At { get; set; }
    /// <summary>Where the app says the officer was (optional).</summary>
    public double? Latitude { get; set; }
    public double? Longitude { get; set; }
    /// <summary>The photo's own position and time (EXIF, as the app read it).</summary>
    public double? PhotoLatitude { get; set; }
    public double? PhotoLongitude { get; set; }
    public DateTimeOffset? PhotoAt { get; set; }
    public bool Verified { get; set; }
    public double? NearestMetres { get; set; }
    public Domain.Field.VisitBasis Basis { get; set; }
    public double RadiusMetres { get; set; }
    public string? Note { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
}
