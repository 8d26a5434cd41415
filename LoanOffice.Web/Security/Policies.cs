using LoanOffice.Domain.Organisation;
using Microsoft.AspNetCore.Authorization;

namespace LoanOffice.Web.Security;

/// <summary>Named authorization policies. Every page and endpoint declares one; services check the record again.</summary>
public static class Policies
{
    public const string Staff = nameof(Staff);
    public const string ManageUsers = nameof(ManageUsers);
    public const string ManageOrganisation = nameof(ManageOrganisation);
    public const string ReadAudit = nameof(ReadAudit);

    public static void Configure(AuthorizationOptions options)
    {
        options.AddPolicy(Staff, p => p.RequireAuthenticatedUser().RequireRole(Roles.All));
        options.AddPolicy(ManageUsers, p => p.RequireAuthenticatedUser().RequireRole(Roles.Admin));
        options.AddPolicy(ManageOrganisation, p => p.RequireAuthenticatedUser().RequireRole(Roles.Admin));
        options.AddPolicy(ReadAudit, p => p.RequireAuthenticatedUser().RequireRole(Roles.Admin, Roles.Compliance));
    }
}
