using LoanOffice.Web.Components.Shared;
using LoanOffice.Data;
using LoanOffice.Web.Security;
using Microsoft.EntityFrameworkCore;

namespace LoanOffice.Web.Features.Home;

public sealed class HomeQueries(CurrentUser currentUser, IDbContextFactory<LoanOfficeDbContext> dbFactory)
{
    public sealed record Profile(string DisplayName, IReadOnlyList<string> Roles, string? TeamName, string? RegionName);

    public async Task<Profile?> GetProfileAsync()
    {
        if (await currentUser.GetIdAsync() is not { } id) return null;
        await using var db = await dbFactory.CreateDbContextAsync();
        var user = await db.Users.AsNoTracking().Where(u => u.Id == id)
            .Select(u => new
            {
                u.DisplayName,
                Team = db.Teams.Where(t => t.Id == u.TeamId).Select(t => new
                {
                    Name = OrgNames.English && t.NameEn != null ? t.NameEn : t.Name,
                    Region = db.Regions.Where(r => r.Id == t.RegionId).Select(r => OrgNames.English && r.NameEn != null ? r.NameEn : r.Name).FirstOrDefault(),
                }).FirstOrDefault(),
                Roles = db.UserRoles.Where(ur => ur.UserId == u.Id).Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => r.Name!).ToList(),
            }).SingleOrDefaultAsync();
        return user is null ? null : new Profile(user.DisplayName, user.Roles, user.Team?.Name, user.Team?.Region);
    }
}
