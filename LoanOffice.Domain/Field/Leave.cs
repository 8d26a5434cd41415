using LoanOffice.Domain.Common;
using LoanOffice.Domain.Organisation;

namespace LoanOffice.Domain.Field;

/// <summary>请假的类别.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<LeaveType>))]
public enum LeaveType
{
    Annual,
    Sick,
    Personal,
    Other,
}

[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<LeaveStatus>))]
public enum LeaveStatus
{
    Pending,
    Approved,
    Rejected,
    Cancelled,
}

/// <summary>Who decides a leave request: the team lead, or — past the lead's limit — the regional director.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<LeaveApprover>))]
public enum LeaveApprover
{
    TeamLead,
    RegionalDirector,
}

/// <summary>
/// The company's leave rules (configurable): how many days a team lead may approve (longer goes to the regional
/// director), the longest request, and how far back a request may start (sick leave is often filed afterwards).
/// </summary>
public sealed record LeavePolicy(int LeadLimitDays = 3, int MaxDays = 60, int BackdateDays = 7);

/// <summary>
/// A leave request (请假, DOMAIN.md "Field work"): asked by the officer from the app or the web, decided by the team
/// lead — or by the regional director when longer than the lead's limit. Approved leave covers its days (calendar
/// days in China, both ends included): the map shows it and the offline alerts keep quiet.
/// </summary>
public sealed class LeaveRequest
{
    private LeaveRequest() { Reason = RequestedVia = string.Empty; }

    public Guid Id { get; private set; }
    public Guid OfficerId { get; private set; }
    public Guid TeamId { get; private set; }
    public LeaveType Type { get; private set; }
    public DateOnly From { get; private set; }
    public DateOnly To { get; private set; }
    public string Reason { get; private set; }
    public LeaveStatus Status { get; private set; }
    public LeaveApprover Approver { get; private set; }
    /// <summary>"web" or "app".</summary>
    public string RequestedVia { get; private set; }
    public DateTimeOffset RequestedAt { get; private set; }
    public Guid? DecidedById { get; private set; }
    public string? DecidedBy { get; private set; }
    public DateTimeOffset? DecidedAt { get; private set; }
    public string? DecisionNote { get; private set; }
    public uint Version { get; private set; }

    /// <summary>Calendar days, both ends included.</summary>
    public int Days => To.DayNumber - From.DayNumber + 1;

    public const int ReasonMaxLength = 500;

    public static Result<LeaveRequest> Create(Guid officerId, Guid teamId, LeaveType type, DateOnly from, DateOnly to, string? reason, string via,
        DateOnly today, DateTimeOffset now, LeavePolicy policy)
    {
        var errors = new List<Error>();
        if (!Enum.IsDefined(type)) errors.Add(Error.Of(ErrorCodes.Validation).At("type"));
        if (from < today.AddDays(-policy.BackdateDays)) errors.Add(Error.Of(ErrorCodes.LeaveTooFarBack, policy.BackdateDays).At("from"));
        if (to < from) errors.Add(Error.Of(ErrorCodes.LeaveEndBeforeStart).At("to"));
        else if (to.DayNumber - from.DayNumber + 1 > policy.MaxDays) errors.Add(Error.Of(ErrorCodes.LeaveTooLong, policy.MaxDays).At("to"));
        if (string.IsNullOrWhiteSpace(reason)) errors.Add(Error.Of(ErrorCodes.LeaveReasonRequired).At("reason"));
        else if (reason.Trim().Length > ReasonMaxLength) errors.Add(Error.Of(ErrorCodes.LeaveReasonLength, ReasonMaxLength).At("reason"));
        if (errors.Count > 0) return Error.Combine(errors)!;
        var days = to.DayNumber - from.DayNumber + 1;
        return new LeaveRequest
        {
            Id = Guid.CreateVersion7(), OfficerId = officerId, TeamId = teamId, Type = type, From = from, To = to, Reason = reason!.Trim(),
            Status = LeaveStatus.Pending, Approver = ApproverFor(days, policy), RequestedVia = via, RequestedAt = now,
        };
    }

    /// <summary>Who decides a request of so many days.</summary>
    public static LeaveApprover ApproverFor(int days, LeavePolicy policy) => days > policy.LeadLimitDays ? LeaveApprover.RegionalDirector : LeaveApprover.TeamLead;

    /// <summary>Whether a decider with these roles may decide this request (scope is checked by the caller).</summary>
    public bool MayDecide(IReadOnlySet<string> roles) => MayDecide(Approver, roles);

    /// <summary>A team lead's requests are decided by a lead (or above); a regional director's only by a director or the GM.</summary>
    public static bool MayDecide(LeaveApprover approver, IReadOnlySet<string> roles) => approver switch
    {
        LeaveApprover.TeamLead => roles.Contains(Roles.TeamLead) || roles.Contains(Roles.RegionalDirector) || roles.Contains(Roles.GeneralManager),
        _ => roles.Contains(Roles.RegionalDirector) || roles.Contains(Roles.GeneralManager),
    };

    /// <summary>Approves or rejects (a rejection says why); never one's own request.</summary>
    public Result Decide(bool approve, Guid deciderId, string decider, IReadOnlySet<string> roles, string? note, DateTimeOffset now, LeavePolicy policy)
    {
        if (Status != LeaveStatus.Pending) return Error.Of(ErrorCodes.LeaveNotPending);
        if (deciderId == OfficerId) return Error.Of(ErrorCodes.LeaveOwnRequest);
        if (!MayDecide(roles))
            return Approver == LeaveApprover.RegionalDirector ? Error.Of(ErrorCodes.LeaveBeyondLeadLimit, policy.LeadLimitDays) : Error.Of(ErrorCodes.Forbidden);
        if (!approve && string.IsNullOrWhiteSpace(note)) return Error.Of(ErrorCodes.LeaveRejectionNoteRequired).At("note");
        if (note is { } n && n.Trim().Length > ReasonMaxLength) return Error.Of(ErrorCodes.LeaveReasonLength, ReasonMaxLength).At("note");
        Status = approve ? LeaveStatus.Approved : LeaveStatus.Rejected;
        DecidedById = deciderId;
        DecidedBy = decider;
        DecidedAt = now;
        DecisionNote = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        return Result.Success();
    }

    /// <summary>The officer withdraws a request still pending, or an approved leave that has not begun.</summary>
    public Result Cancel(Guid byId, DateOnly today, DateTimeOffset now)
    {
        if (byId != OfficerId) return Error.Of(ErrorCodes.Forbidden);
        if (Status == LeaveStatus.Pending || (Status == LeaveStatus.Approved && From > today))
        {
            Status = LeaveStatus.Cancelled;
            DecidedAt = now;
            return Result.Success();
        }

        return Error.Of(ErrorCodes.LeaveNotCancellable);
    }

    /// <summary>Whether this request and a span of days share a day.</summary>
    public bool Overlaps(DateOnly from, DateOnly to) => From <= to && from <= To;

    /// <summary>Approved leave covering a day: the officer is away.</summary>
    public bool Covers(DateOnly day) => Status == LeaveStatus.Approved && From <= day && day <= To;

    /// <summary>Whether the request still holds days (pending or approved): a new request may not overlap it.</summary>
    public bool IsLive => Status is LeaveStatus.Pending or LeaveStatus.Approved;
}
