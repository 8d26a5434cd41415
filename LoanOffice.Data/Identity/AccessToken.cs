namespace LoanOffice.Data.Identity;

/// <summary>
/// A personal access token for an integration (the officers' app, the finance software): it acts as its user, with
/// that user's roles and data scope. Only the SHA-256 of the secret is kept; the secret is shown once, when made.
/// </summary>
public sealed class AccessToken
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    /// <summary>What the token is for ("finance-export"); unique among the tokens not revoked.</summary>
    public string Name { get; set; } = string.Empty;
    /// <summary>The secret's first characters, to tell tokens apart in lists.</summary>
    public string Prefix { get; set; } = string.Empty;
    public byte[] Hash { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }
    public string CreatedBy { get; set; } = string.Empty;
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public string? RevokedBy { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
}
