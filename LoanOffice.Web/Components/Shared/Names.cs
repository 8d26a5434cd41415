using Microsoft.Extensions.Localization;

namespace LoanOffice.Web.Components.Shared;

/// <summary>
/// Names of reference records in the user's language: a product by its code (resx <c>Product.&lt;code&gt;</c>) and a
/// document type by its stored name (<c>DocType.&lt;name&gt;</c>), falling back to what is stored when no text exists.
/// </summary>
public static class Names
{
    public static string Product(string? code, string? stored, IStringLocalizer L) =>
        code is null ? stored ?? "—" : Or(L["Product." + code], stored ?? code);

    public static string Document(string type, IStringLocalizer L) => Or(L["DocType." + type], type);

    private static string Or(LocalizedString text, string fallback) => text.ResourceNotFound ? fallback : text.Value;
}

/// <summary>Which name of an organisation record the UI shows: the English one in the English UI when it has one.</summary>
public static class OrgNames
{
    /// <summary>Read by queries as a parameter (EF Core evaluates it per execution), so a team's name is picked in SQL.</summary>
    public static bool English => System.Globalization.CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en";

    /// <summary>A team's or region's name in the reader's language (the Chinese one when no English name is kept).</summary>
    public static string Of(string name, string? nameEn) => English && !string.IsNullOrWhiteSpace(nameEn) ? nameEn : name;
}
