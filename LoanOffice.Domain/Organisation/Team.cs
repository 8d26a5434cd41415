using LoanOffice.Domain.Common;

namespace LoanOffice.Domain.Organisation;

/// <summary>团队: owns applications, loans and customers; chooses its approval mode.</summary>
public sealed class Team
{
    private Team() { Code = Name = string.Empty; }

    public Guid Id { get; private set; }
    public Guid RegionId { get; private set; }
    public string Code { get; private set; }
    public string Name { get; private set; }
    /// <summary>The name the English UI shows (the Chinese name when none is given).</summary>
    public string? NameEn { get; private set; }
    public ApprovalMode ApprovalMode { get; private set; }
    public bool AllowSelfAssignment { get; private set; }
    public uint Version { get; private set; }

    /// <summary>Sets (or clears, when blank) the English name: at most 100 characters.</summary>
    public Result SetEnglishName(string? nameEn)
    {
        if (nameEn is { } n && n.Trim().Length > 100) return Error.Of(ErrorCodes.OrgNameLength, 100).At("nameEn");
        NameEn = string.IsNullOrWhiteSpace(nameEn) ? null : nameEn.Trim();
        return Result.Success();
    }

    public static Result<Team> Create(Guid regionId, string code, string name, ApprovalMode mode, bool allowSelfAssignment)
    {
        var error = OrgValidation.CodeAndName(code, name);
        if (error is not null) return error;
        if (regionId == Guid.Empty) return Error.Of(ErrorCodes.OrgRegionRequired).At("regionId");
        return new Team
        {
            Id = Guid.CreateVersion7(),
            RegionId = regionId,
            Code = code.Trim().ToUpperInvariant(),
            Name = name.Trim(),
            ApprovalMode = mode,
            AllowSelfAssignment = allowSelfAssignment,
        };
    }

    public Result Update(Guid regionId, string name, ApprovalMode mode, bool allowSelfAssignment)
    {
        var error = OrgValidation.CodeAndName(Code, name);
        if (error is not null) return error;
        if (regionId == Guid.Empty) return Error.Of(ErrorCodes.OrgRegionRequired).At("regionId");
        RegionId = regionId;
        Name = name.Trim();
        ApprovalMode = mode;
        AllowSelfAssignment = allowSelfAssignment;
        return Result.Success();
    }
}

/// <summary>One member of a team's approver group (centralized approval).</summary>
public sealed class TeamApprover
{
    private TeamApprover() { }

    public TeamApprover(Guid teamId, Guid userId)
    {
        TeamId = teamId;
        UserId = userId;
    }

    public Guid TeamId { get; private set; }
    public Guid UserId { get; private set; }
}

internal static class OrgValidation
{
    public static Error? CodeAndName(string code, string name)
    {
        if (string.IsNullOrWhiteSpace(code)) return Error.Of(ErrorCodes.OrgCodeRequired).At("code");
        if (code.Trim().Length > 20) return Error.Of(ErrorCodes.OrgCodeLength, 20).At("code");
        if (!code.Trim().All(c => char.IsAsciiLetterOrDigit(c) || c == '-')) return Error.Of(ErrorCodes.OrgCodeChars).At("code");
        if (string.IsNullOrWhiteSpace(name)) return Error.Of(ErrorCodes.OrgNameRequired).At("name");
        if (name.Trim().Length > 100) return Error.Of(ErrorCodes.OrgNameLength, 100).At("name");
        return null;
    }
}
