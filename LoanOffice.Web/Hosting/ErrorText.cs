using System.Globalization;
using System.Resources;
using LoanOffice.Domain.Common;
using LoanOffice.Web.Resources;

namespace LoanOffice.Web.Hosting;

/// <summary>
/// Renders a refusal's code in the reader's language from the resources (key <c>Error.&lt;Code&gt;</c>, arguments
/// {0}, {1}, … formatted as the UI shows them: dates yyyy-MM-dd, amounts ¥1,234.56, enum values by their resource
/// name). The UI, the API's problem details and the command line all go through here. A code without a text falls
/// back to the error's English message (codes not converted yet); a test lists the loan book's codes and fails on
/// any without both texts.
/// </summary>
public static class ErrorText
{
    private static readonly ResourceManager Resources = new(typeof(SharedResource).FullName!, typeof(SharedResource).Assembly);

    public static string Render(Error error, CultureInfo? culture = null)
    {
        culture ??= CultureInfo.CurrentUICulture;
        if (!error.HasCodeText) return error.Message;
        var format = Resources.GetString("Error." + error.Code, culture);
        if (format is null) return error.Message;
        var args = error.Args.Select(a => Arg(a, culture)).ToArray();
        return string.Format(culture, format, args);
    }

    /// <summary>A message of the resources in a given language (a notification to a staff member, in theirs).</summary>
    public static string Text(string key, CultureInfo culture, params object[] args)
    {
        var format = Resources.GetString(key, culture) ?? key;
        return string.Format(culture, format, args.Select(a => Arg(a, culture)).ToArray());
    }

    /// <summary>Whether the code has a text (in the neutral resources, which the test compares with zh-CN).</summary>
    public static bool HasText(string code) => Resources.GetString("Error." + code, CultureInfo.InvariantCulture) is not null;

    private static object Arg(object arg, CultureInfo culture) => arg switch
    {
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        decimal m => MoneyRules.FormatCny(m),
        DateTimeOffset t => Components.Shared.Fmt.DateTime(t),
        Enum e => Resources.GetString(EnumPrefix(e) + "." + e, culture) ?? e.ToString(),
        // a field's name (the argument of Input.Required and its kind) is shown as the field's label
        string field when Resources.GetString("Field." + field, culture) is { } label => label,
        _ => arg,
    };

    private static string EnumPrefix(Enum e) => e.GetType().Name switch
    {
        "LoanClass" => "Class",
        "RepaymentMethod" => "Method",
        "ApplicationState" => "State",
        var name => name,
    };
}
