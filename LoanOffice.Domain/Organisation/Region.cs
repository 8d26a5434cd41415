using LoanOffice.Domain.Common;

namespace LoanOffice.Domain.Organisation;

/// <summary>区域: a group of teams under a regional director.</summary>
public sealed class Region
{
    private Region() { Code = Name = string.Empty; }

    public Guid Id { get; private set; }
    public string Code { get; private set; }
    public string Name { get; private set; }
    /// <summary>The name the English UI shows (the Chinese name when none is given).</summary>
    public string? NameEn { get; private set; }
    public uint Version { get; private set; }

    /// <summary>Sets (or clears, when blank) the English name: at most 100 characters.</summary>
    public Result SetEnglishName(string? nameEn)
    {
        if (nameEn is { } n && n.Trim().Length > 100) return Error.Of(ErrorCodes.OrgNameLength, 100).At("nameEn");
        NameEn = string.IsNullOrWhiteSpace(nameEn) ? null : nameEn.Trim();
        return Result.Success();
    }

    public static Result<Region> Create(string code, string name)
    {
        var error = OrgValidation.CodeAndName(code, name);
        if (error is not null) return error;
        return new Region { Id = Guid.CreateVersion7(), Code = code.Trim().ToUpperInvariant(), Name = name.Trim() };
    }

    public Result Rename(string name)
    {
        var error = OrgValidation.CodeAndName(Code, name);
        if (error is not null) return error;
        Name = name.Trim();
        return Result.Success();
    }
}
