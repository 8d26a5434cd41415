using LoanOffice.Data;
using LoanOffice.Domain.Common;
using LoanOffice.Web.Components.Shared;
using LoanOffice.Web.Security;
using Microsoft.EntityFrameworkCore;

namespace LoanOffice.Web.Features.People;

public sealed record PersonRow(Guid Id, string UserName, string DisplayName, string? TeamName, IReadOnlyList<string> Roles, bool LockedOut);

/// <summary>The staff directory: every read goes through the caller's data scope.</summary>
public sealed class PeopleQueries(DataScopeService scopes, IDbContextFactory<LoanOfficeDbContext> dbFactory, TimeProvider clock)
{
    public async Task<PagedResult<PersonRow>> ListAsync(string? search, int page, int pageSize, CancellationToken ct = default)
    {
        var scope = await scopes.GetAsync(ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.Users.AsNoTracking().VisibleTo(scope);
        if (Search.SearchQueries.Clean(search) is { Length: > 0 } text)
        {
            var pattern = Search.SearchQueries.LikeContains(text);
            query = query.Where(u => EF.Functions.ILike(u.UserName!, pattern) || EF.Functions.ILike(u.DisplayName, pattern));
        }

        var total = await query.CountAsync(ct);
        var rows = await query.OrderBy(u => u.UserName).Page(page, pageSize).Select(u => new
        {
            u.Id, u.UserName, u.DisplayName, u.LockoutEnd,
            TeamName = db.Teams.Where(t => t.Id == u.TeamId).Select(t => OrgNames.English && t.NameEn != null ? t.NameEn : t.Name).FirstOrDefault(),
        }).ToListAsync(ct);
        var roles = await RolesOfAsync(db, rows.Select(r => r.Id).ToArray(), ct);
        var now = clock.GetUtcNow();
        return new PagedResult<PersonRow>(
            rows.Select(r => new PersonRow(r.Id, r.UserName!, r.DisplayName, r.TeamName,
                roles.GetValueOrDefault(r.Id) ?? [], r.LockoutEnd > now)).ToList(),
            total, page, pageSize);
    }

    public async Task<Result<PersonRow>> GetAsync(Guid id, CancellationToken ct = default)
    {
        var scope = await scopes.GetAsync(ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var user = await db.Users.AsNoTracking().Where(u => u.Id == id).Select(u => new
        {
            u.Id, u.UserName, u.DisplayName, u.TeamId, u.LockoutEnd,
            TeamName = db.Teams.Where(t => t.Id == u.TeamId).Select(t => OrgNames.English && t.NameEn != null ? t.NameEn : t.Name).FirstOrDefault(),
        }).SingleOrDefaultAsync(ct);
        if (user is null) return Error.Of(ErrorCodes.PeopleNotFound);
        if (!scope.CanSeeUser(user.Id, user.TeamId))
            return Error.Of(ErrorCodes.PeopleOutOfScope);
        var roles = await RolesOfAsync(db, [user.Id], ct);
        return new PersonRow(user.Id, user.UserName!, user.DisplayName, user.TeamName,
            roles.GetValueOrDefault(user.Id) ?? [], user.LockoutEnd > clock.GetUtcNow());
    }

    internal static async Task<Dictionary<Guid, List<string>>> RolesOfAsync(LoanOfficeDbContext db, Guid[] userIds, CancellationToken ct)
    {
        var pairs = await (from ur in db.UserRoles
                           join r in db.Roles on ur.RoleId equals r.Id
                           where userIds.Contains(ur.UserId)
                           select new { ur.UserId, r.Name }).ToListAsync(ct);
        return pairs.GroupBy(p => p.UserId).ToDictionary(g => g.Key, g => g.Select(p => p.Name!).Order().ToList());
    }
}
