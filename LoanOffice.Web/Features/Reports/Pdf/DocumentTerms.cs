using System.Globalization;
using LoanOffice.Web.Resources;
using Microsoft.Extensions.Localization;

namespace LoanOffice.Web.Features.Reports.Pdf;

/// <summary>
/// Enum values as printed documents show them: the Chinese term from the resources with the code beside it
/// (等额本息 EqualInstallment, 关注 SpecialMention), whatever the generating user's language.
/// </summary>
public sealed class DocumentTerms(IStringLocalizer<SharedResource> localizer)
{
    private static readonly CultureInfo Chinese = CultureInfo.GetCultureInfo("zh-CN");

    /// <summary>Outside the app's container (benchmark, layout tests): the same resources.</summary>
    public static DocumentTerms Standalone() =>
        new(new ServiceCollection().AddLogging().AddLocalization().BuildServiceProvider().GetRequiredService<IStringLocalizer<SharedResource>>());

    public string Of(string prefix, object value) => InChinese(() =>
    {
        var term = localizer[prefix + "." + value];
        return term.ResourceNotFound ? value.ToString() ?? "" : $"{term.Value} {value}";
    });

    /// <summary>Who did a step: a person as recorded, a system actor in Chinese (系统 · 投票汇总).</summary>
    public string Actor(string actor) => InChinese(() => Components.Shared.ActorLabel.Of(actor, localizer));

    /// <summary>Why the approved figures are what they are, in Chinese, from the decision's structured basis.</summary>
    public string Rule(LoanOffice.Data.Origination.ApprovalDecisionRecord decision) =>
        InChinese(() => Features.Applications.ApprovalRuleText.Describe(decision, localizer));

    private static string InChinese(Func<string> render)
    {
        var previous = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = Chinese;
            return render();
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }
}
