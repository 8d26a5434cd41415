using LoanOffice.Domain.Common;

namespace LoanOffice.Domain.Organisation;

/// <summary>区域: a group of teams under a regional director.</summary>
public sealed class Region
{
    private Region() { Code = Name = string.Empty; }

    public Guid Id { get; private set; }
    public string Code { get; private set; }
    public string Name { get; private set; }
    public uint Version { get; private set; }

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
