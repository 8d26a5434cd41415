using Microsoft.AspNetCore.Identity;

namespace LoanOffice.Data.Identity;

/// <summary>A staff member. Customers never sign in.</summary>
public sealed class AppUser : IdentityUser<Guid>
{
    public string DisplayName { get; set; } = string.Empty;
    public Guid? TeamId { get; set; }
    /// <summary>"zh-CN" or "en": the interface language chosen by the user.</summary>
    public string PreferredCulture { get; set; } = "zh-CN";
    public DateTimeOffset CreatedAt { get; set; }
}

public sealed class AppRole : IdentityRole<Guid>
{
    public AppRole() { }
    public AppRole(string name) : base(name) { }
}
