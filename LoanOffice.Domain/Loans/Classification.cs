using LoanOffice.Domain.Common;

namespace LoanOffice.Domain.Loans;

/// <summary>五级分类, from best to worst.</summary>
public enum LoanClass
{
    /// <summary>正常: DPD 0.</summary>
    Normal = 0,
    /// <summary>关注: DPD 1–90.</summary>
    SpecialMention = 1,
    /// <summary>次级: DPD 91–270.</summary>
    Substandard = 2,
    /// <summary>可疑: DPD 271–360.</summary>
    Doubtful = 3,
    /// <summary>损失: DPD over 360.</summary>
    Loss = 4,
}

public static class Classification
{
    public static LoanClass FromDaysPastDue(int dpd) => dpd switch
    {
        <= 0 => LoanClass.Normal,
        <= 90 => LoanClass.SpecialMention,
        <= 270 => LoanClass.Substandard,
        <= 360 => LoanClass.Doubtful,
        _ => LoanClass.Loss,
    };

    /// <summary>The class in force: the manual class can only make it worse than DPD gives.</summary>
    public static LoanClass Effective(LoanClass fromDpd, LoanClass? manual) =>
        manual is { } m && m > fromDpd ? m : fromDpd;

    /// <summary>Checks a manual classification: worse than (or equal to) the DPD class only, with a reason.</summary>
    public static Result<LoanClass> SetManually(LoanClass fromDpd, LoanClass requested, string? reason)
    {
        if (string.IsNullOrWhiteSpace(reason)) return Error.Of(ErrorCodes.ReasonRequired).At("reason");
        if (requested < fromDpd) return Error.Of(ErrorCodes.ClassBetterThanDpd, fromDpd).At("class");
        return requested;
    }

    /// <summary>
    /// The manual class to keep after a classifier set <paramref name="requested"/>: only a class worse than the DPD
    /// class is kept; asking for the DPD class itself lifts the manual one (null).
    /// </summary>
    public static LoanClass? ManualToKeep(LoanClass fromDpd, LoanClass requested) => requested > fromDpd ? requested : null;
}
