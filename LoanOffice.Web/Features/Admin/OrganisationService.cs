using LoanOffice.Web.Components.Shared;
using LoanOffice.Data;
using LoanOffice.Domain.Common;
using LoanOffice.Domain.Organisation;
using LoanOffice.Web.Resources;
using LoanOffice.Web.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace LoanOffice.Web.Features.Admin;

public sealed record RegionRow(Guid Id, string Code, string Name, int TeamCount, uint Version, string? NameEn = null);

public sealed record TeamRow(Guid Id, Guid RegionId, string RegionName, string Code, string Name, ApprovalMode ApprovalMode,
    bool AllowSelfAssignment, int MemberCount, IReadOnlyList<Guid> ApproverIds, uint Version, string? NameEn = null);

public sealed record ApproverOption(Guid Id, string UserName, string DisplayName);

public sealed record SaveTeamCommand(Guid? Id, Guid RegionId, string Code, string Name, ApprovalMode ApprovalMode,
    bool AllowSelfAssignment, IReadOnlyCollection<Guid> ApproverIds, uint Version, string? NameEn = null);

/// <summary>Regions, teams and approver groups. Admin only; optimistic concurrency on xmin.</summary>
public sealed class OrganisationService(
    IDbContextFactory<LoanOfficeDbContext> dbFactory,
    CurrentUser currentUser)
{
    public async Task<IReadOnlyList<RegionRow>> RegionsAsync()
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        return await db.Regions.AsNoTracking().OrderBy(r => r.Code)
            .Select(r => new RegionRow(r.Id, r.Code, r.Name, db.Teams.Count(t => t.RegionId == r.Id), r.Version, r.NameEn))
            .ToListAsync();
    }

    public async Task<IReadOnlyList<TeamRow>> TeamsAsync()
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var teams = await db.Teams.AsNoTracking().OrderBy(t => t.Code).Select(t => new
        {
            t.Id, t.RegionId, t.Code, t.Name, t.NameEn, t.ApprovalMode, t.AllowSelfAssignment, t.Version,
            RegionName = db.Regions.Where(r => r.Id == t.RegionId).Select(r => OrgNames.English && r.NameEn != null ? r.NameEn : r.Name).First(),
            Members = db.Users.Count(u => u.TeamId == t.Id),
        }).ToListAsync();
        var approvers = await db.TeamApprovers.AsNoTracking().ToListAsync();
        return teams.Select(t => new TeamRow(t.Id, t.RegionId, t.RegionName, t.Code, t.Name, t.ApprovalMode, t.AllowSelfAssignment,
            t.Members, approvers.Where(a => a.TeamId == t.Id).Select(a => a.UserId).ToList(), t.Version, t.NameEn)).ToList();
    }

    /// <summary>Users holding the Approver role: the candidates for a team's approver group.</summary>
    public async Task<IReadOnlyList<ApproverOption>> ApproverCandidatesAsync()
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        return await (from u in db.Users
                      join ur in db.UserRoles on u.Id equals ur.UserId
                      join r in db.Roles on ur.RoleId equals r.Id
                      where r.Name == Roles.Approver
                      orderby u.UserName
                      select new ApproverOption(u.Id, u.UserName!, u.DisplayName)).ToListAsync();
    }

    public async Task<Result> SaveRegionAsync(Guid? id, string code, string name, uint version, string? nameEn = null)
    {
        if (await RefuseAsync() is { } refused) return refused;
        await using var db = await dbFactory.CreateDbContextAsync();
        if (id is null)
        {
            var created = Region.Create(code, name);
            if (!created.IsSuccess) return Localize(created.Error!, "name");
            if (await db.Regions.AnyAsync(r => r.Code == created.Value!.Code))
                return Error.Of(ErrorCodes.AdminCodeTaken).At("code");
            if (created.Value!.SetEnglishName(nameEn).Error is { } badEn) return badEn;
            db.Regions.Add(created.Value!);
        }
        else
        {
            var region = await db.Regions.SingleOrDefaultAsync(r => r.Id == id);
            if (region is null) return Error.Of(ErrorCodes.AdminRegionNotFound);
            db.Entry(region).Property(r => r.Version).OriginalValue = version;
            var renamed = region.Rename(name);
            if (!renamed.IsSuccess) return Localize(renamed.Error!, "name");
            if (region.SetEnglishName(nameEn).Error is { } badEn) return badEn;
        }

        return await SaveAsync(db);
    }

    public async Task<Result> DeleteRegionAsync(Guid id, uint version)
    {
        if (await RefuseAsync() is { } refused) return refused;
        await using var db = await dbFactory.CreateDbContextAsync();
        var region = await db.Regions.SingleOrDefaultAsync(r => r.Id == id);
        if (region is null) return Error.Of(ErrorCodes.AdminRegionNotFound);
        if (await db.Teams.AnyAsync(t => t.RegionId == id)) return Error.Of(ErrorCodes.AdminRegionHasTeams);
        db.Entry(region).Property(r => r.Version).OriginalValue = version;
        db.Regions.Remove(region);
        return await SaveAsync(db);
    }

    public async Task<Result> SaveTeamAsync(SaveTeamCommand command)
    {
        if (await RefuseAsync() is { } refused) return refused;
        await using var db = await dbFactory.CreateDbContextAsync();
        if (!await db.Regions.AnyAsync(r => r.Id == command.RegionId)) return Error.Of(ErrorCodes.AdminRegionUnknown).At("regionId");
        if (command.ApprovalMode == ApprovalMode.Centralized && command.ApproverIds.Count == 0)
            return Error.Of(ErrorCodes.AdminCentralizedNeedsApprovers).At("approvers");
        var approverIds = command.ApproverIds.Distinct().ToArray();
        var validApprovers = await (from ur in db.UserRoles
                                    join r in db.Roles on ur.RoleId equals r.Id
                                    where r.Name == Roles.Approver && approverIds.Contains(ur.UserId)
                                    select ur.UserId).CountAsync();
        if (validApprovers != approverIds.Length) return Error.Of(ErrorCodes.AdminNotAnApprover).At("approvers");

        Team team;
        if (command.Id is null)
        {
            var created = Team.Create(command.RegionId, command.Code, command.Name, command.ApprovalMode, command.AllowSelfAssignment);
            if (!created.IsSuccess) return Localize(created.Error!, "name");
            team = created.Value!;
            if (await db.Teams.AnyAsync(t => t.Code == team.Code)) return Error.Of(ErrorCodes.AdminCodeTaken).At("code");
            db.Teams.Add(team);
        }
        else
        {
            var existing = await db.Teams.SingleOrDefaultAsync(t => t.Id == command.Id);
            if (existing is null) return Error.Of(ErrorCodes.AdminTeamNotFound);
            team = existing;
            db.Entry(team).Property(t => t.Version).OriginalValue = command.Version;
            var updated = team.Update(command.RegionId, command.Name, command.ApprovalMode, command.AllowSelfAssignment);
            if (!updated.IsSuccess) return Localize(updated.Error!, "name");
        }

        if (team.SetEnglishName(command.NameEn).Error is { } badEnglish) return badEnglish;

        var current = await db.TeamApprovers.Where(a => a.TeamId == team.Id).ToListAsync();
        db.TeamApprovers.RemoveRange(current.Where(a => !approverIds.Contains(a.UserId)));
        db.TeamApprovers.AddRange(approverIds.Where(id => current.All(a => a.UserId != id)).Select(id => new TeamApprover(team.Id, id)));
        return await SaveAsync(db);
    }

    public async Task<Result> DeleteTeamAsync(Guid id, uint version)
    {
        if (await RefuseAsync() is { } refused) return refused;
        await using var db = await dbFactory.CreateDbContextAsync();
        var team = await db.Teams.SingleOrDefaultAsync(t => t.Id == id);
        if (team is null) return Error.Of(ErrorCodes.AdminTeamNotFound);
        if (await db.Users.AnyAsync(u => u.TeamId == id)) return Error.Of(ErrorCodes.AdminTeamHasMembers);
        db.Entry(team).Property(t => t.Version).OriginalValue = version;
        db.TeamApprovers.RemoveRange(await db.TeamApprovers.Where(a => a.TeamId == id).ToListAsync());
        db.Teams.Remove(team);
        return await SaveAsync(db);
    }

    private static async Task<Result> SaveAsync(LoanOfficeDbContext db)
    {
        try
        {
            await db.SaveChangesAsync();
            return Result.Success();
        }
        catch (DbUpdateConcurrencyException)
        {
            return Error.Of(ErrorCodes.AdminChanged);
        }
    }

    /// <summary>Domain errors are codes (rendered in the user's language where shown); a field-less one goes on the default field.</summary>
    private static Error Localize(Error error, string defaultField) => error.Field is null ? error.At(defaultField) : error;

    private async Task<Error?> RefuseAsync() =>
        await currentUser.IsInRoleAsync(Roles.Admin) ? null : Error.Of(ErrorCodes.AdminOrgAdminOnly);
}
