using System.Text.RegularExpressions;
using System.Xml.Linq;
using LoanOffice.Domain.Organisation;
using LoanOffice.Tests.Architecture;
using LoanOffice.Web.Components.Layout;
using Shouldly;

namespace LoanOffice.Tests.Components;

/// <summary>Both languages are complete, and every key the UI asks for exists.</summary>
public partial class ResourceCompletenessTests
{
    private static Dictionary<string, string> Load(string file) =>
        XDocument.Load(Path.Combine(DomainIsolationTests.RepoRoot(), "LoanOffice.Web", "Resources", file))
            .Root!.Elements("data").ToDictionary(d => d.Attribute("name")!.Value, d => d.Element("value")!.Value);

    [Fact]
    public void EnglishAndChinese_HaveTheSameKeys_AndNoEmptyValues()
    {
        var en = Load("SharedResource.resx");
        var zh = Load("SharedResource.zh-CN.resx");
        en.Keys.Except(zh.Keys).ShouldBeEmpty("keys missing in Chinese");
        zh.Keys.Except(en.Keys).ShouldBeEmpty("keys missing in English");
        en.Where(kv => string.IsNullOrWhiteSpace(kv.Value)).ShouldBeEmpty();
        zh.Where(kv => string.IsNullOrWhiteSpace(kv.Value)).ShouldBeEmpty();
    }

    [Fact]
    public void EveryLiteralKeyUsedInTheUi_Exists()
    {
        var en = Load("SharedResource.resx");
        var webRoot = Path.Combine(DomainIsolationTests.RepoRoot(), "LoanOffice.Web");
        var missing = new List<string>();
        foreach (var file in Directory.EnumerateFiles(webRoot, "*.*", SearchOption.AllDirectories)
                     .Where(f => (f.EndsWith(".razor", StringComparison.Ordinal) || f.EndsWith(".cs", StringComparison.Ordinal))
                                 && !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal)))
        {
            foreach (Match m in KeyUse().Matches(File.ReadAllText(file)))
            {
                if (!en.ContainsKey(m.Groups[1].Value)) missing.Add($"{Path.GetFileName(file)}: {m.Groups[1].Value}");
            }
        }

        missing.ShouldBeEmpty();
    }

    [Fact]
    public void EveryErrorCode_HasATextInBothLanguages_WithTheSameArguments()
    {
        var en = Load("SharedResource.resx");
        var zh = Load("SharedResource.zh-CN.resx");
        var codes = typeof(LoanOffice.Domain.Common.ErrorCodes).GetFields().Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToList();
        codes.Count.ShouldBeGreaterThan(30);
        foreach (var code in codes)
        {
            en.ShouldContainKey("Error." + code);
            zh.ShouldContainKey("Error." + code);
            Placeholders().Matches(zh["Error." + code]).Select(m => m.Value).Order().ShouldBe(
                Placeholders().Matches(en["Error." + code]).Select(m => m.Value).Order(), $"{code}: the same arguments in both texts");
            ChineseText().IsMatch(zh["Error." + code]).ShouldBeTrue($"{code}: the Chinese text is Chinese");
        }

        foreach (var status in Enum.GetNames<LoanOffice.Domain.Loans.LoanStatus>()) en.ShouldContainKey("LoanStatus." + status);
        foreach (var standing in Enum.GetNames<LoanOffice.Domain.Loans.InstallmentStanding>()) en.ShouldContainKey("Standing." + standing);
        foreach (var option in Enum.GetNames<LoanOffice.Domain.Loans.PrepaymentOption>()) en.ShouldContainKey("PrepaymentOption." + option);
    }

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex Placeholders();

    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}")]
    private static partial Regex ChineseText();

    [Fact]
    public void ComposedKeys_ForRolesNavigationAndModes_Exist()
    {
        var en = Load("SharedResource.resx");
        foreach (var role in Roles.All) en.ShouldContainKey("Role." + role);
        foreach (var mode in Enum.GetNames<ApprovalMode>()) en.ShouldContainKey("ApprovalMode." + mode);
        foreach (var method in Enum.GetNames<LoanOffice.Domain.Loans.RepaymentMethod>()) en.ShouldContainKey("Method." + method);
        foreach (var item in Navigation.Items)
        {
            en.ShouldContainKey(item.TextKey);
            if (item.Href != "/") en.ShouldContainKey(item.TextKey + ".Hint");
        }

        foreach (var state in Enum.GetNames<LoanOffice.Domain.Applications.ApplicationState>()) en.ShouldContainKey("State." + state);
        foreach (var action in new[] { "Created", "Updated", "Deleted" }) en.ShouldContainKey("Audit.Action." + action);
        foreach (var c in Enum.GetNames<LoanOffice.Domain.Loans.LoanClass>()) en.ShouldContainKey("Class." + c);
        foreach (var c in Enum.GetNames<LoanOffice.Domain.Loans.AllocationComponent>()) en.ShouldContainKey("AllocComponent." + c);
        foreach (var c in Enum.GetNames<LoanOffice.Data.Servicing.CobRunStatus>()) en.ShouldContainKey("CobStatus." + c);
        foreach (var c in Enum.GetNames<LoanOffice.Data.Servicing.CaseStatus>()) en.ShouldContainKey("CaseStatus." + c);
        foreach (var c in Enum.GetNames<LoanOffice.Domain.Loans.CollectionActionKind>()) en.ShouldContainKey("ActionKind." + c);
        foreach (var c in Enum.GetNames<LoanOffice.Data.Servicing.ExtensionStatus>()) en.ShouldContainKey("ExtensionStatus." + c);
        foreach (var c in LoanOffice.Web.Features.Servicing.LoanServicing.Channels) en.ShouldContainKey("Channel." + c);
    }

    [GeneratedRegex("""L\["([A-Za-z0-9_.]+)"[\],]""")]
    private static partial Regex KeyUse();
}
