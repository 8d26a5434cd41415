using LoanOffice.Domain.Applications;
using LoanOffice.Domain.Loans;
using LoanOffice.Domain.Organisation;
using Shouldly;

namespace LoanOffice.Tests.Domain;

/// <summary>A reviewer's claim on a file lasts for an idle period and is pushed out while the holder is active.</summary>
public class ReviewClaimTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Idle = TimeSpan.FromMinutes(10);
    private static readonly Actor Officer = new(Guid.NewGuid(), "王芳", new HashSet<string> { Roles.LoanOfficer }, null);
    private static readonly Actor Lead = new(Guid.NewGuid(), "李强", new HashSet<string> { Roles.TeamLead }, null);
    private static readonly Actor ReviewerA = new(Guid.NewGuid(), "赵敏", new HashSet<string> { Roles.Reviewer }, null);
    private static readonly Actor ReviewerB = new(Guid.NewGuid(), "孙丽", new HashSet<string> { Roles.Reviewer }, null);

    private static LoanApplication Submitted()
    {
        var app = LoanApplication.Receive("LA-1", Guid.NewGuid(), "张伟", "杭州市西湖区", "WEB", Guid.NewGuid(), "CREDIT", 100_000m, 12, 0.12m,
            RepaymentMethod.EqualInstallment, "经营周转", T0.AddHours(-3));
        app.RouteTo(Guid.NewGuid(), Actor.System("routing"), T0.AddHours(-3)).IsSuccess.ShouldBeTrue();
        app.Assign(Officer.UserId, Lead, false, T0.AddHours(-2)).IsSuccess.ShouldBeTrue();
        app.StartCollecting(Officer, T0.AddHours(-2)).IsSuccess.ShouldBeTrue();
        app.Submit(Officer, [], T0.AddHours(-1)).IsSuccess.ShouldBeTrue();
        return app;
    }

    [Fact]
    public void AnotherReviewer_IsRefusedWhileTheClaimIsLive_AndGetsTheFileOnceItLapses()
    {
        var app = Submitted();
        app.Claim(ReviewerA, T0, Idle).IsSuccess.ShouldBeTrue();
        app.State.ShouldBe(ApplicationState.PreliminaryReview);
        app.ClaimExpiresAt.ShouldBe(T0 + Idle);

        var refused = app.Claim(ReviewerB, T0.AddMinutes(9), Idle);
        refused.Error!.Code.ShouldBe(LoanOffice.Domain.Common.ErrorCodes.ApplicationClaimed);
        refused.Error.Message.ShouldContain("赵敏");
        app.PassReview(ReviewerB, null, T0.AddMinutes(9)).Error!.Code.ShouldBe(LoanOffice.Domain.Common.ErrorCodes.ApplicationClaimed);

        app.IsClaimedAt(T0.AddMinutes(10)).ShouldBeFalse();
        app.Claim(ReviewerB, T0.AddMinutes(10), Idle).IsSuccess.ShouldBeTrue();
        app.ClaimedByName.ShouldBe("孙丽");
        app.ClaimedAt.ShouldBe(T0.AddMinutes(10));
    }

    [Fact]
    public void Activity_PushesTheExpiryOut_KeepingWhenTheClaimStarted()
    {
        var app = Submitted();
        app.Claim(ReviewerA, T0, Idle).IsSuccess.ShouldBeTrue();
        app.ExtendClaim(ReviewerA.UserId, T0.AddMinutes(8) + Idle);
        app.ClaimExpiresAt.ShouldBe(T0.AddMinutes(18));
        app.ExtendClaim(ReviewerA.UserId, T0.AddMinutes(5)); // an older report never shortens the claim
        app.ClaimExpiresAt.ShouldBe(T0.AddMinutes(18));
        app.ClaimedAt.ShouldBe(T0);
        app.Claim(ReviewerB, T0.AddMinutes(12), Idle).Error!.Code.ShouldBe(LoanOffice.Domain.Common.ErrorCodes.ApplicationClaimed);
        // reopening the file is activity too, and does not restart "since"
        app.Claim(ReviewerA, T0.AddMinutes(15), Idle).IsSuccess.ShouldBeTrue();
        app.ClaimExpiresAt.ShouldBe(T0.AddMinutes(25));
        app.ClaimedAt.ShouldBe(T0);
    }

    [Fact]
    public void ActivityOfAReviewerWhoLostTheFile_DoesNotExtendTheNewHoldersClaim()
    {
        var app = Submitted();
        app.Claim(ReviewerA, T0, Idle).IsSuccess.ShouldBeTrue();
        app.Claim(ReviewerB, T0.AddMinutes(11), Idle).IsSuccess.ShouldBeTrue();
        app.ExtendClaim(ReviewerA.UserId, T0.AddMinutes(40));
        app.ClaimExpiresAt.ShouldBe(T0.AddMinutes(21));
        app.ClaimedByName.ShouldBe("孙丽");
    }

    [Fact]
    public void PassingTheReview_ReleasesTheClaim()
    {
        var app = Submitted();
        app.Claim(ReviewerA, T0, Idle).IsSuccess.ShouldBeTrue();
        app.PassReview(ReviewerA, "资料齐全", T0.AddMinutes(3)).IsSuccess.ShouldBeTrue();
        app.ClaimedBy.ShouldBeNull();
        app.ClaimExpiresAt.ShouldBeNull();
        app.IsClaimedAt(T0.AddMinutes(4)).ShouldBeFalse();
    }
}
