using LoanOffice.Domain.Common;
using LoanOffice.Domain.Organisation;
using LoanOffice.Web.Hosting;
using Microsoft.EntityFrameworkCore;

namespace LoanOffice.Web.Features.Field;

/// <summary>A registered phone as the device list shows it (never its key).</summary>
public sealed record FieldDeviceRow(Guid Id, Guid OfficerId, string Officer, string Team, string Name, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt,
    DateTimeOffset? RevokedAt, string? RevokedBy, uint Version);

/// <summary>
/// The officers' devices for the people who answer for them: an admin (all), a team lead or regional director (the
/// officers in scope). Revoking is audited and version-checked; a revoked device's requests are refused at once.
/// </summary>
public sealed class FieldDevices(ActorContext context)
{
    /// <summary>Who answers for officers in the field (their devices, their tracks): the roles of the field map.</summary>
    public static readonly string[] Managers = [Roles.Admin, Roles.TeamLead, Roles.RegionalDirector, Roles.GeneralManager];

    public async Task<Result<IReadOnlyList<FieldDeviceRow>>> ListAsync(CancellationToken ct = default)
    {
        if (await context.ActorAsync(ct) is not { } actor) return ActorContext.NotSignedIn;
        if (!actor.Roles.Overlaps(Managers)) return Error.Of(ErrorCodes.Forbidden);
        var scope = await context.ScopeAsync(ct);
        await using var db = await context.OpenAsync(ct);
        var rows = await (from d in db.FieldDevices.AsNoTracking()
                          join u in db.Users on d.UserId equals u.Id
                          join t in db.Teams on u.TeamId equals t.Id into teams
                          from t in teams.DefaultIfEmpty()
                          where scope.SeesAll || (u.TeamId != null && scope.TeamIds.Contains(u.TeamId.Value))
                          orderby d.RevokedAt != null, d.LastUsedAt descending
                          select new FieldDeviceRow(d.Id, u.Id, u.DisplayName, t == null ? "" : Components.Shared.OrgNames.English && t.NameEn != null ? t.NameEn : t.Name, d.Name, d.CreatedAt, d.LastUsedAt, d.RevokedAt, d.RevokedBy, d.Version))
            .ToListAsync(ct);
        return rows;
    }

    /// <summary>Revokes a device (admin, or a manager whose scope covers the officer's team).</summary>
    public async Task<Result> RevokeAsync(Guid deviceId, uint version, CancellationToken ct = default)
    {
        if (await context.ActorAsync(ct) is not { } actor) return ActorContext.NotSignedIn;
        if (!actor.Roles.Overlaps(Managers)) return Error.Of(ErrorCodes.Forbidden);
        var scope = await context.ScopeAsync(ct);
        await using var db = await context.OpenAsync(ct);
        var device = await db.FieldDevices.SingleOrDefaultAsync(d => d.Id == deviceId, ct);
        if (device is null) return Error.Of(ErrorCodes.NotFound);
        var teamId = await db.Users.Where(u => u.Id == device.UserId).Select(u => u.TeamId).SingleAsync(ct);
        if (!scope.SeesAll && (teamId is null || !scope.TeamIds.Contains(teamId.Value))) return Error.Of(ErrorCodes.NotFound); // out of scope: not there
        if (device.RevokedAt is not null) return Result.Success();
        db.Entry(device).Property(d => d.Version).OriginalValue = version;
        device.RevokedAt = context.Now;
        device.RevokedBy = actor.Name;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Error.Of(ErrorCodes.Conflict);
        }

        return Result.Success();
    }
}
