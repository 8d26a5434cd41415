using LoanOffice.Domain.Common;
using LoanOffice.Domain.Field;
using LoanOffice.Domain.Organisation;
using Shouldly;

namespace LoanOffice.Tests.Field;

/// <summary>The rules of leave, offline alerts and verified visits (DOMAIN.md "Field work"; seed 004), with figures worked by hand.</summary>
public class FieldWorkRulesTests
{
    // Tuesday 1 Dec 2026, 12:00 in China
    private static readonly DateTimeOffset Noon = new(2026, 12, 1, 4, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = new(2026, 12, 1);
    private static readonly LeavePolicy Policy = new(LeadLimitDays: 3);
    private static readonly Guid Officer = Guid.NewGuid();
    private static readonly IReadOnlySet<string> Lead = new HashSet<string> { Roles.TeamLead };
    private static readonly IReadOnlySet<string> Director = new HashSet<string> { Roles.RegionalDirector };

    private static LeaveRequest Leave(DateOnly from, DateOnly to) =>
        LeaveRequest.Create(Officer, Guid.NewGuid(), LeaveType.Sick, from, to, "发烧", "app", Today, Noon, Policy).Value!;

    [Fact]
    public void Leave_UpToTheLeadsLimit_IsTheLeads_Longer_EscalatesToTheRegionalDirector()
    {
        var three = Leave(new DateOnly(2026, 12, 2), new DateOnly(2026, 12, 4));
        three.Days.ShouldBe(3);
        three.Approver.ShouldBe(LeaveApprover.TeamLead);
        three.Decide(true, Guid.NewGuid(), "李主管", Lead, null, Noon, Policy).IsSuccess.ShouldBeTrue();
        three.Status.ShouldBe(LeaveStatus.Approved);
        three.Covers(new DateOnly(2026, 12, 4)).ShouldBeTrue();
        three.Covers(new DateOnly(2026, 12, 5)).ShouldBeFalse();

        var four = Leave(new DateOnly(2026, 12, 2), new DateOnly(2026, 12, 5));
        four.Approver.ShouldBe(LeaveApprover.RegionalDirector);
        var byLead = four.Decide(true, Guid.NewGuid(), "李主管", Lead, null, Noon, Policy);
        byLead.Error!.Code.ShouldBe(ErrorCodes.LeaveBeyondLeadLimit);
        four.Status.ShouldBe(LeaveStatus.Pending, "a refused decision changes nothing");
        four.Decide(false, Guid.NewGuid(), "王总监", Director, " ", Noon, Policy).Error!.Code.ShouldBe(ErrorCodes.LeaveRejectionNoteRequired);
        four.Decide(false, Guid.NewGuid(), "王总监", Director, "月底放款高峰", Noon, Policy).IsSuccess.ShouldBeTrue();
        four.Status.ShouldBe(LeaveStatus.Rejected);
        four.Covers(new DateOnly(2026, 12, 3)).ShouldBeFalse("rejected leave covers nothing");
        four.Decide(true, Guid.NewGuid(), "王总监", Director, null, Noon, Policy).Error!.Code.ShouldBe(ErrorCodes.LeaveNotPending);
    }

    [Fact]
    public void Leave_IsCheckedField_ByField_NobodyDecidesTheirOwn_AndOnlyLeaveNotBegunIsWithdrawn()
    {
        var bad = LeaveRequest.Create(Officer, Guid.NewGuid(), LeaveType.Annual, new DateOnly(2026, 11, 20), new DateOnly(2026, 11, 19), "", "web", Today, Noon, Policy);
        bad.Error!.All.Select(e => (e.Field, e.Code)).ShouldBe([("from", ErrorCodes.LeaveTooFarBack), ("to", ErrorCodes.LeaveEndBeforeStart), ("reason", ErrorCodes.LeaveReasonRequired)]);
        LeaveRequest.Create(Officer, Guid.NewGuid(), LeaveType.Annual, Today, Today.AddDays(60), "探亲", "web", Today, Noon, Policy).Error!.Code.ShouldBe(ErrorCodes.LeaveTooLong);
        LeaveRequest.Create(Officer, Guid.NewGuid(), LeaveType.Sick, Today.AddDays(-7), Today, "补请病假", "web", Today, Noon, Policy).IsSuccess.ShouldBeTrue("a week back is allowed");

        var own = Leave(Today, Today);
        own.Decide(true, Officer, "孙伟", new HashSet<string> { Roles.TeamLead, Roles.LoanOfficer }, null, Noon, Policy).Error!.Code.ShouldBe(ErrorCodes.LeaveOwnRequest);
        own.Cancel(Guid.NewGuid(), Today, Noon).Error!.Code.ShouldBe(ErrorCodes.Forbidden);
        own.Cancel(Officer, Today, Noon).IsSuccess.ShouldBeTrue("pending: withdrawn");

        var begun = Leave(Today, Today.AddDays(1));
        begun.Decide(true, Guid.NewGuid(), "李主管", Lead, null, Noon, Policy).IsSuccess.ShouldBeTrue();
        begun.Cancel(Officer, Today, Noon).Error!.Code.ShouldBe(ErrorCodes.LeaveNotCancellable);
        var later = Leave(Today.AddDays(3), Today.AddDays(3));
        later.Decide(true, Guid.NewGuid(), "李主管", Lead, null, Noon, Policy).IsSuccess.ShouldBeTrue();
        later.Cancel(Officer, Today, Noon).IsSuccess.ShouldBeTrue("approved, not begun: withdrawn");
        later.Overlaps(Today.AddDays(3), Today.AddDays(9)).ShouldBeTrue();
    }

    private static OfficerSignal Signal(int pointMinutesAgo, int? heartbeatMinutesAgo = null, bool? gps = true, bool mock = false, string? network = "wifi") => new(
        Noon.AddHours(-3), Noon.AddMinutes(-pointMinutesAgo), mock, heartbeatMinutesAgo is { } h ? Noon.AddMinutes(-h) : null, gps, network);

    [Fact]
    public void Offline_AfterTenMinutesTheOfficer_AfterThirtyTheLead_InWorkingHours_NotOnLeave()
    {
        var p = OfflinePolicy.Default;
        OfflineRules.Check(Signal(9), Noon, p, onLeave: false).ShouldBeNull();
        var eleven = OfflineRules.Check(Signal(11), Noon, p, onLeave: false)!;
        eleven.Stage.ShouldBe(AlertStage.Officer);
        eleven.Since.ShouldBe(Noon.AddMinutes(-11));
        eleven.Minutes(Noon).ShouldBe(11);
        eleven.Reason.ShouldBe(SilenceReason.AppStopped);
        OfflineRules.Check(Signal(29), Noon, p, false)!.Stage.ShouldBe(AlertStage.Officer);
        OfflineRules.Check(Signal(31), Noon, p, false)!.Stage.ShouldBe(AlertStage.Lead);
        OfflineRules.Check(Signal(31), Noon, p, onLeave: true).ShouldBeNull();
        OfflineRules.Check(Signal(31), new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero), p, false).ShouldBeNull("20:00 in China: after hours");
        OfflineRules.Check(Signal(31), new DateTimeOffset(2026, 12, 6, 4, 0, 0, TimeSpan.Zero), p, false).ShouldBeNull("a Sunday");
        OfflineRules.Check(Signal(31) with { LastPointAt = Noon.AddHours(-20) }, Noon, p, false)!.Since.ShouldBe(Noon.AddHours(-3), "yesterday's point: silent since today's sign-in");

        // one silence, one key, however often checked; a new point starts a new silence
        var again = OfflineRules.Check(Signal(31), Noon, p, false)!;
        var later = OfflineRules.Check(Signal(31), Noon.AddMinutes(2), p, false)!;
        later.DedupeKey(Officer, AlertStage.Officer).ShouldBe(again.DedupeKey(Officer, AlertStage.Officer));
        OfflineRules.Check(Signal(12), Noon, p, false)!.DedupeKey(Officer, AlertStage.Officer).ShouldNotBe(again.DedupeKey(Officer, AlertStage.Officer));
        again.DedupeKey(Officer, AlertStage.Lead).ShouldNotBe(again.DedupeKey(Officer, AlertStage.Officer));
    }

    [Fact]
    public void Offline_TheAlertSaysWhatThePhoneLastReported()
    {
        var p = OfflinePolicy.Default;
        OfflineRules.Check(Signal(15, heartbeatMinutesAgo: 1, gps: false), Noon, p, false)!.Reason.ShouldBe(SilenceReason.GpsOff, "still beating, no positions");
        OfflineRules.Check(Signal(15, mock: true), Noon, p, false)!.Reason.ShouldBe(SilenceReason.MockLocation);
        OfflineRules.Check(Signal(15, heartbeatMinutesAgo: 14, network: "none"), Noon, p, false)!.Reason.ShouldBe(SilenceReason.NetworkLost);
        OfflineRules.Check(Signal(15, heartbeatMinutesAgo: 14, gps: false), Noon, p, false)!.Reason.ShouldBe(SilenceReason.GpsOff, "its last heartbeat said location was off");
        OfflineRules.Check(Signal(15, heartbeatMinutesAgo: 14), Noon, p, false)!.Reason.ShouldBe(SilenceReason.AppStopped);
    }

    // 1° of latitude on the rules' sphere (R = 6,371,008.8 m) = 111,195.08 m
    private const double MetresPerDegree = 111_195.08;
    private static readonly GeoStamp Customer = new(Noon, 30.2741, 120.1551);

    private static TrackPoint North(double metres, int minutesFromVisit, bool mock = false) =>
        new(Noon.AddMinutes(minutesFromVisit), Customer.Latitude + metres / MetresPerDegree, Customer.Longitude, 10, PingSource.Gps, mock);

    [Fact]
    public void AVisit_IsVerifiedWhenTheTrackOrThePhotoWasWithinTheRadiusThen_OtherwiseUnverifiedWithHowNear()
    {
        var policy = new VisitPolicy(RadiusMetres: 200, WindowMinutes: 15);
        var inside = VisitRules.Verify(Customer, Noon, [North(600, -10), North(150, -5), North(400, 8)], null, policy);
        inside.ShouldBe(new VisitCheck(true, 150.0, VisitBasis.Track));

        var outside = VisitRules.Verify(Customer, Noon, [North(250, -2), North(900, 3)], null, policy);
        outside.ShouldBe(new VisitCheck(false, 250.0, VisitBasis.None));

        VisitRules.Verify(Customer, Noon, [North(10, -20)], null, policy).Verified.ShouldBeFalse("at the door, but twenty minutes earlier");
        VisitRules.Verify(Customer, Noon, [North(10, -1, mock: true)], null, policy).ShouldBe(new VisitCheck(false, null, VisitBasis.None), "a mock location proves nothing");

        var photo = new GeoStamp(Noon.AddMinutes(2), Customer.Latitude + 120 / MetresPerDegree, Customer.Longitude);
        VisitRules.Verify(Customer, Noon, [North(250, -2)], photo, policy).ShouldBe(new VisitCheck(true, 120.0, VisitBasis.Photo));
        VisitRules.Verify(null, Noon, [North(0, 0)], photo, policy).ShouldBe(new VisitCheck(false, null, VisitBasis.None), "no customer location: nothing to verify against");
        VisitRules.Verify(Customer, Noon, [North(199.9, 0)], null, policy).Verified.ShouldBeTrue("the radius is inclusive");
    }
}
