using LoanOffice.Web.Resources;
using Microsoft.Extensions.Localization;

namespace LoanOffice.Web.Features.Applications;

/// <summary>Waiting times as people say them: 5 min, 3 h, 2 d 4 h.</summary>
public static class Age
{
    public static string Format(TimeSpan span, IStringLocalizer<SharedResource> L)
    {
        if (span < TimeSpan.Zero) span = TimeSpan.Zero;
        if (span.TotalHours < 1) return L["Age.Minutes", (int)span.TotalMinutes];
        if (span.TotalDays < 1) return L["Age.Hours", (int)span.TotalHours];
        return L["Age.DaysHours", (int)span.TotalDays, span.Hours];
    }

    /// <summary>SLA colouring of the review queue: green up to 4 h, amber up to 24 h, red beyond.</summary>
    public static string SlaClass(TimeSpan waiting) => waiting.TotalHours switch
    {
        <= 4 => "sla-ok",
        <= 24 => "sla-warn",
        _ => "sla-late",
    };
}
