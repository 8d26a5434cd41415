using LoanOffice.Domain.Products;
using LoanOffice.Domain.Loans;
using LoanOffice.Domain.Validation;
using Shouldly;

namespace LoanOffice.Tests.Domain;

public class ValidatorTests
{
    [Theory]
    [InlineData("11010519491231002X")] // the standard's own example
    [InlineData("440524198001010013")]
    [InlineData("11010519491231002x")] // lower-case x is normalized
    public void ResidentId_Valid(string id) => ResidentId.Validate(id).Value.ShouldBe(id.ToUpperInvariant());

    [Theory]
    [InlineData("110105194912310021", "check character")]
    [InlineData("11010519491331002X", "date of birth")]
    [InlineData("11010518991231002X", "date of birth")]
    [InlineData("1101051949123100", "18 characters")]
    [InlineData("1101051949123100AX", "digits")]
    [InlineData("01010519491231002X", "region")]
    public void ResidentId_Invalid(string id, string messagePart) =>
        LoanOffice.Web.Hosting.ErrorText.Render(ResidentId.Validate(id).Error!, System.Globalization.CultureInfo.InvariantCulture).ShouldContain(messagePart);

    [Fact]
    public void ResidentId_BirthInTheFuture_IsRefusedWhenTodayIsGiven()
    {
        var id = "110105" + "20300101" + "001";
        id += ResidentId.CheckCharacter(id);
        ResidentId.Validate(id).IsSuccess.ShouldBeTrue();
        ResidentId.Validate(id, new DateOnly(2026, 11, 22)).IsSuccess.ShouldBeFalse();
        ResidentId.Mask("11010519491231002X").ShouldBe("110105********002X");
    }

    [Fact]
    public void CreditCode_ValidChecksum_AndWarningOnMiss()
    {
        var good = UnifiedSocialCreditCode.Validate("91350100M000100Y43").Value!;
        good.ChecksumMatches.ShouldBeTrue();
        var miss = UnifiedSocialCreditCode.Validate("91350100M000100Y44").Value!;
        miss.ChecksumMatches.ShouldBeFalse();
        miss.Warning.ShouldNotBeNull();
        UnifiedSocialCreditCode.Validate("91350100M000100YI3").IsSuccess.ShouldBeFalse(); // I is not in the alphabet
        UnifiedSocialCreditCode.Validate("9135").IsSuccess.ShouldBeFalse();
    }

    [Theory]
    [InlineData("13800138000", "13800138000")]
    [InlineData("+86 138-0013-8000", "13800138000")]
    [InlineData("8619912345678", "19912345678")]
    public void Mobile_Valid(string input, string normalized) => MobileNumber.Validate(input).Value.ShouldBe(normalized);

    [Theory]
    [InlineData("12800138000")]
    [InlineData("1380013800")]
    [InlineData("23800138000")]
    [InlineData("1380013800a")]
    public void Mobile_Invalid(string input) => MobileNumber.Validate(input).IsSuccess.ShouldBeFalse();

    [Theory]
    [InlineData("6222 0202 0000 0000 007", false)]
    [InlineData("4111111111111111", true)]
    [InlineData("6212262201023557228", true)]
    [InlineData("4111111111111112", false)]
    [InlineData("12345", false)]
    public void BankCard_Luhn(string input, bool valid) => BankCardNumber.Validate(input).IsSuccess.ShouldBe(valid);

    private static LoanProduct Product(decimal maxRate = 0.15m, decimal markup = 0.5m) => new(
        "CREDIT-A", "信用贷A", ProductKind.Credit, 10_000m, 200_000m, 3, 36, 0.08m, maxRate,
        [RepaymentMethod.EqualInstallment, RepaymentMethod.EqualPrincipal], markup, 3, 3, ApprovalThresholds.Default, ["身份证", "收入证明"]);

    [Fact]
    public void Product_CombinedCostAboveCap_IsRefusedUnlessOverriddenWithAReason()
    {
        Product().Validate().IsSuccess.ShouldBeTrue(); // 15 % × 1.5 = 22.5 %
        var over = Product(0.18m, 0.5m); // 27 %
        over.Validate().Error!.Code.ShouldBe(LoanOffice.Domain.Common.ErrorCodes.ProductCombinedCostOverCap);
        over.Validate(capOverrideReason: "board resolution 2026-07").IsSuccess.ShouldBeTrue();
    }

    [Fact]
    public void Product_RequestOutsideRanges_IsRefusedNamingTheField()
    {
        var p = Product();
        p.CheckRequest(5_000m, 12, 0.1m, RepaymentMethod.EqualInstallment).Error!.Field.ShouldBe("amount");
        p.CheckRequest(50_000m, 48, 0.1m, RepaymentMethod.EqualInstallment).Error!.Field.ShouldBe("months");
        p.CheckRequest(50_000m, 12, 0.2m, RepaymentMethod.EqualInstallment).Error!.Field.ShouldBe("annualRate");
        p.CheckRequest(50_000m, 12, 0.1m, RepaymentMethod.Bullet).Error!.Field.ShouldBe("method");
        p.CheckRequest(50_000m, 12, 0.1m, RepaymentMethod.EqualPrincipal).IsSuccess.ShouldBeTrue();
    }

    [Fact]
    public void Product_SnapshotFreezesTheTerms()
    {
        var p = Product();
        var terms = p.Snapshot(0.12m, RepaymentMethod.EqualInstallment);
        var edited = p with { PenaltyMarkup = 0.3m };
        terms.PenaltyMarkup.ShouldBe(0.5m);
        edited.Snapshot(0.12m, RepaymentMethod.EqualInstallment).PenaltyMarkup.ShouldBe(0.3m);
        terms.DayBasis.ShouldBe(360);
    }
}

public class ChineseCapitalTests
{
    [Theory]
    [InlineData("100000", "壹拾万元整")]
    [InlineData("1050.5", "壹仟零伍拾元伍角")]
    [InlineData("12000.08", "壹万贰仟元零捌分")]
    [InlineData("0.35", "叁角伍分")]
    [InlineData("0", "零元整")]
    [InlineData("101000001.01", "壹亿零壹佰万零壹元零壹分")]
    [InlineData("10005", "壹万零伍元整")]
    [InlineData("200000000", "贰亿元整")]
    [InlineData("1234567.89", "壹佰贰拾叁万肆仟伍佰陆拾柒元捌角玖分")]
    [InlineData("100010", "壹拾万零壹拾元整")]
    [InlineData("101000", "壹拾万壹仟元整")]
    [InlineData("100005000", "壹亿零伍仟元整")]
    public void AmountsAreWrittenAsContractsWriteThem(string amount, string expected) =>
        Shouldly.ShouldBeStringTestExtensions.ShouldBe(LoanOffice.Domain.Common.MoneyRules.ToChineseCapital(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture)), expected);
}

public class ValidatorTextTests
{
    [Fact]
    public void TheApplyFormsRefusals_ReadInChinese_ForAChineseUser()
    {
        var zh = new System.Globalization.CultureInfo("zh-CN");
        LoanOffice.Web.Hosting.ErrorText.Render(ResidentId.Validate("110105194912310021").Error!, zh).ShouldBe("身份证号码校验位不正确，请检查是否输入有误。");
        LoanOffice.Web.Hosting.ErrorText.Render(MobileNumber.Validate("1234").Error!, zh).ShouldContain("11 位");
        LoanOffice.Web.Hosting.ErrorText.Render(LoanOffice.Domain.Common.Term.OfMonths(0).Error!, zh).ShouldBe("期限须为 1 至 360 个整月。");
    }
}
