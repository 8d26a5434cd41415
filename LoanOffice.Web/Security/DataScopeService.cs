using LoanOffice.Data;
using LoanOffice.Domain.Organisation;
using Microsoft.EntityFrameworkCore;

namespace LoanOffice.Web.Security;

/// <summary>
/// The one place that turns the signed-in user into a <see cref="DataScope"/>. Every query of a team-owned record
/// goes through it (see <see cref="ScopeQueries"/>). Roles and teams come from the database, not the cookie.
/// </summary>
public sealed class DataScopeService(CurrentUser currentUser, IDbContextFactory<LoanOfficeDbContext> dbFactory)
{
    private DataScope? _cached;

    public async Task<DataScope> GetAsync(CancellationToken ct = default)
    {
        if (_cached is not null) return _cached;
        var userId = await currentUser.GetIdAsync();
        if (userId is null) return new DataScope(Guid.Empty, ScopeLevel.Own, new HashSet<Guid>());
        _cached = await ResolveAsync(dbFactory, userId.Value, ct);
        return _cached;
    }

    public static async Task<DataScope> ResolveAsync(IDbContextFactory<LoanOfficeDbContext> dbFactory, Guid userId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new { u.Id, u.TeamId, u.LockoutEnd }).SingleOrDefaultAsync(ct);
        if (user is null || user.LockoutEnd > DateTimeOffset.UtcNow)
            return new DataScope(userId, ScopeLevel.Own, new HashSet<Guid>());
        var roles = await (from ur in db.UserRoles
                           join r in db.Roles on ur.RoleId equals r.Id
                           where ur.UserId == userId
                           select r.Name!).ToListAsync(ct);
        var regionTeams = user.TeamId is null
            ? []
            : await (from own in db.Teams
                     where own.Id == user.TeamId
                     join t in db.Teams on own.RegionId equals t.RegionId
                     select t.Id).ToListAsync(ct);
        var approverTeams = await db.TeamApprovers.Where(a => a.UserId == userId).Select(a => a.TeamId).ToListAsync(ct);
        return DataScopeRules.Resolve(userId, roles, user.TeamId, regionTeams, approverTeams);
    }
}

public static class ScopeQueries
{
    /// <summary>Staff records visible in the scope (a user's own team is the owner, the user "is assigned" to themself).</summary>
    public static IQueryable<Data.Identity.AppUser> VisibleTo(this IQueryable<Data.Identity.AppUser> users, DataScope scope)
    {
        if (scope.SeesAll) return users;
        if (scope.Level == ScopeLevel.Own) return users.Where(u => u.Id == scope.UserId);
        var teams = scope.TeamIds.ToArray();
        return users.Where(u => u.Id == scope.UserId || (u.TeamId != null && teams.Contains(u.TeamId.Value)));
    }
}
