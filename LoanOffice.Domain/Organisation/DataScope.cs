namespace LoanOffice.Domain.Organisation;

/// <summary>How far a user's view of team-owned records reaches (DOMAIN.md: data visibility follows the tree).</summary>
public enum ScopeLevel
{
    /// <summary>Records assigned to the user, plus the own team's unassigned pool.</summary>
    Own,
    /// <summary>Every record of the listed teams.</summary>
    Team,
    /// <summary>Every record of the teams of the user's region.</summary>
    Region,
    /// <summary>Everything.</summary>
    All,
}

/// <summary>
/// What one signed-in user may see. <see cref="TeamIds"/> is empty when <see cref="Level"/> is All;
/// otherwise it lists every team whose records (all of them, or for Own only the pool and own ones) are visible.
/// </summary>
public sealed record DataScope(Guid UserId, ScopeLevel Level, IReadOnlySet<Guid> TeamIds)
{
    public bool SeesAll => Level == ScopeLevel.All;

    /// <summary>May this user see a record owned by <paramref name="teamId"/> and assigned to <paramref name="assignedUserId"/>?</summary>
    public bool CanSee(Guid teamId, Guid? assignedUserId)
    {
        if (SeesAll) return true;
        if (!TeamIds.Contains(teamId)) return false;
        if (Level != ScopeLevel.Own) return true;
        return assignedUserId is null || assignedUserId == UserId;
    }

    /// <summary>May this user see another staff member's record (users are owned by their team and "assigned" to themselves)?</summary>
    public bool CanSeeUser(Guid userId, Guid? userTeamId)
    {
        if (SeesAll || userId == UserId) return true;
        if (Level == ScopeLevel.Own || userTeamId is null) return false;
        return TeamIds.Contains(userTeamId.Value);
    }
}

/// <summary>Derives a <see cref="DataScope"/> from a user's roles and place in the organisation.</summary>
public static class DataScopeRules
{
    /// <summary>Roles that work company-wide: management, head-office review, chief approval, finance, compliance, administration.</summary>
    private static readonly string[] CompanyWide =
        [Roles.Admin, Roles.GeneralManager, Roles.Compliance, Roles.Reviewer, Roles.ChiefApprover, Roles.Finance];

    /// <param name="userId">The user.</param>
    /// <param name="roles">The user's roles.</param>
    /// <param name="teamId">The user's own team, if any.</param>
    /// <param name="regionTeamIds">The teams of the user's region (the team's region, or the region a director heads).</param>
    /// <param name="approverTeamIds">Teams whose approver group includes the user.</param>
    public static DataScope Resolve(
        Guid userId,
        IEnumerable<string> roles,
        Guid? teamId,
        IEnumerable<Guid> regionTeamIds,
        IEnumerable<Guid> approverTeamIds)
    {
        var roleSet = roles.ToHashSet(StringComparer.Ordinal);
        if (CompanyWide.Any(roleSet.Contains))
            return new DataScope(userId, ScopeLevel.All, new HashSet<Guid>());

        var teams = new HashSet<Guid>();
        if (roleSet.Contains(Roles.RegionalDirector))
        {
            teams.UnionWith(regionTeamIds);
            if (teamId is { } own) teams.Add(own);
            teams.UnionWith(approverTeamIds);
            return new DataScope(userId, ScopeLevel.Region, teams);
        }

        if (roleSet.Contains(Roles.TeamLead) || roleSet.Contains(Roles.Approver))
        {
            if (roleSet.Contains(Roles.TeamLead) && teamId is { } led) teams.Add(led);
            if (roleSet.Contains(Roles.Approver)) teams.UnionWith(approverTeamIds);
            return new DataScope(userId, ScopeLevel.Team, teams);
        }

        if (teamId is { } mine) teams.Add(mine);
        return new DataScope(userId, ScopeLevel.Own, teams);
    }
}
