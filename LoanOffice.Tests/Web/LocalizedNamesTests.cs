using System.Globalization;
using LoanOffice.Domain.Common;
using LoanOffice.Web.Components.Shared;
using LoanOffice.Web.Features.Audit;
using LoanOffice.Web.Features.Calculator;
using LoanOffice.Web.Hosting;
using LoanOffice.Web.Resources;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Shouldly;

namespace LoanOffice.Tests.Web;

/// <summary>What the pages write from stored codes and names, in each language: actors, audit names, products, document types, messages.</summary>
public class LocalizedNamesTests
{
    private static readonly IStringLocalizer L = new ResourceManagerStringLocalizerFactory(
        Options.Create(new LocalizationOptions()), NullLoggerFactory.Instance).Create(typeof(SharedResource));

    private static string In(string culture, Func<string> render)
    {
        var previous = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = new CultureInfo(culture);
        try { return render(); }
        finally { CultureInfo.CurrentUICulture = previous; }
    }

    [Fact]
    public void SystemActors_AreNamedInTheUsersLanguage_AndPeopleAsRecorded()
    {
        In("zh-CN", () => ActorLabel.Of("system:intake:WEB", L)).ShouldBe("系统 · 进件 · 网上申请");
        In("en", () => ActorLabel.Of("system:intake:WEB", L)).ShouldBe("System · intake · online application");
        In("zh-CN", () => ActorLabel.Of("system:close-of-business", L)).ShouldBe("系统 · 日终批处理");
        In("en", () => ActorLabel.Of("system:aggregation", L)).ShouldBe("System · vote aggregation");
        In("en", () => ActorLabel.Of("system:some-new-job", L)).ShouldBe("System · some-new-job", "an unknown job keeps its name");
        In("en", () => ActorLabel.Of("孙伟 (officer)", L)).ShouldBe("孙伟 (officer)");
        In("zh-CN", () => ActorLabel.Of("user:gm", L)).ShouldBe("gm", "the audit trail's user actor is the user name");
        In("zh-CN", () => ActorLabel.Of("anonymous", L)).ShouldBe("匿名访问");
    }

    [Fact]
    public void TheAuditTrail_ShowsBusinessNames_ForRecordsAndFields()
    {
        In("zh-CN", () => AuditNames.Entity("ApplicationDocument", L)).ShouldBe("申请材料");
        In("zh-CN", () => AuditNames.Field("MobileCipher", L)).ShouldBe("手机号（加密）");
        In("zh-CN", () => AuditNames.Entity("ApplicationTransition", L)).ShouldBe("状态流转");
        In("zh-CN", () => AuditNames.Entity("UserRole", L)).ShouldBe("用户角色");
        In("en", () => AuditNames.Field("RequestedAmount", L)).ShouldBe("Requested amount");
        In("en", () => AuditNames.Field("SomethingNew", L)).ShouldBe("SomethingNew");
    }

    [Fact]
    public void ProductsAndDocumentTypes_HaveEnglishNames_AndUnknownOnesShowWhatIsStored()
    {
        In("en", () => Names.Product("CREDIT", "信用贷", L)).ShouldBe("Credit loan");
        In("zh-CN", () => Names.Product("CREDIT", "信用贷", L)).ShouldBe("信用贷");
        In("en", () => Names.Product("NEWPROD", "新产品", L)).ShouldBe("新产品");
        In("en", () => Names.Document("身份证", L)).ShouldBe("Resident ID card");
        In("en", () => Names.Document("营业执照", L)).ShouldBe("营业执照");
    }

    [Fact]
    public void TheCalculator_TakesTheRateInPercent_AndSaysSoInItsMessage_AndARequiredFieldIsNamedByItsLabel()
    {
        var tooHigh = ScheduleRequest.FromPercent("EqualInstallment", 100_000m, 40m, 12, "2026-12-01");
        (tooHigh.Error!.Code, tooHigh.Error.Field).ShouldBe((ErrorCodes.CalcRatePercentRange, "annualRate"));
        ErrorText.Render(tooHigh.Error, new CultureInfo("zh-CN")).ShouldBe("请输入 0%–36% 之间的年利率。");
        ErrorText.Render(tooHigh.Error, new CultureInfo("en")).ShouldBe("Enter an annual rate between 0 and 36 %.");
        ScheduleRequest.FromPercent("EqualInstallment", 100_000m, 8m, 12, "2026-12-01").Value!.AnnualRate.ShouldBe(0.08m);
        ScheduleRequest.FromPercent("EqualInstallment", 100_000m, -1m, 12, "2026-12-01").Error!.Code.ShouldBe(ErrorCodes.CalcRatePercentRange);

        var missing = ScheduleRequest.FromPercent("EqualInstallment", null, 8m, 12, "2026-12-01").Error!;
        ErrorText.Render(missing, new CultureInfo("zh-CN")).ShouldBe("请填写本金。");
        ErrorText.Render(missing, new CultureInfo("en")).ShouldBe("Enter the principal.");
    }

    [Fact]
    public void Rates_ReadAsPercentWithTwoDecimals_AndFillAPercentFieldWithoutTrailingZeros()
    {
        Fmt.Rate(0.08m).ShouldBe("8.00 %");
        Fmt.Rate(0.1235m).ShouldBe("12.35 %");
        Fmt.PercentValue(0.120000m).ToString(CultureInfo.InvariantCulture).ShouldBe("12");
        Fmt.PercentValue(0.0825m).ToString(CultureInfo.InvariantCulture).ShouldBe("8.25");
    }
}
