using LoanOffice.Domain.Common;
using LoanOffice.Domain.Loans;
using LoanOffice.Domain.Organisation;

namespace LoanOffice.Domain.Applications;

/// <summary>Who is acting: checked against the state machine's roles, recorded in the timeline.</summary>
public sealed record Actor(Guid UserId, string Name, IReadOnlySet<string> Roles, string? Ip)
{
    public static Actor System(string job) => new(Guid.Empty, "system:" + job, new HashSet<string> { ApplicationStateMachine.SystemActor }, null);
}

/// <summary>One move in the application's life: who, when, from where, from which state to which, and why.</summary>
public sealed class ApplicationTransition
{
    private ApplicationTransition() { ActorName = Name = string.Empty; }

    internal ApplicationTransition(Guid applicationId, ApplicationState from, ApplicationState to, string name, Actor actor, DateTimeOffset at, string? comment)
    {
        Id = Guid.CreateVersion7();
        ApplicationId = applicationId;
        From = from;
        To = to;
        Name = name;
        ActorId = actor.UserId == Guid.Empty ? null : actor.UserId;
        ActorName = actor.Name;
        ActorIp = actor.Ip;
        At = at;
        Comment = string.IsNullOrWhiteSpace(comment) ? null : comment.Trim();
    }

    public Guid Id { get; private set; }
    public Guid ApplicationId { get; private set; }
    public ApplicationState From { get; private set; }
    public ApplicationState To { get; private set; }
    public string Name { get; private set; }
    public Guid? ActorId { get; private set; }
    public string ActorName { get; private set; }
    public string? ActorIp { get; private set; }
    public DateTimeOffset At { get; private set; }
    public string? Comment { get; private set; }
}

/// <summary>
/// A loan application (贷款申请) from intake to disbursement. Every move goes through <see cref="ApplicationStateMachine"/>
/// and appends a transition; the approved figures can only be set by an approval decision and are cleared when the
/// file is returned, so they never change after approval except through a new approval.
/// </summary>
public sealed class LoanApplication
{
    private readonly List<ApplicationTransition> _transitions = [];

    private LoanApplication()
    {
        Number = ApplicantName = District = Channel = Purpose = ProductCode = string.Empty;
    }

    public Guid Id { get; private set; }
    public string Number { get; private set; }
    public Guid TeamId { get; private set; }
    public Guid CustomerId { get; private set; }
    public string ApplicantName { get; private set; }
    public string District { get; private set; }
    public string Channel { get; private set; }
    public Guid ProductId { get; private set; }
    public string ProductCode { get; private set; }
    public decimal RequestedAmount { get; private set; }
    public int RequestedMonths { get; private set; }
    public decimal ProposedRate { get; private set; }
    public RepaymentMethod Method { get; private set; }
    public string Purpose { get; private set; }
    public string? InvestigationNotes { get; private set; }
    public ApplicationState State { get; private set; }
    public DateTimeOffset ReceivedAt { get; private set; }
    public DateTimeOffset StateSince { get; private set; }
    public Guid? AssignedOfficerId { get; private set; }
    public Guid? SubmittedBy { get; private set; }
    public Guid? ClaimedBy { get; private set; }
    public string? ClaimedByName { get; private set; }
    public DateTimeOffset? ClaimedAt { get; private set; }
    /// <summary>When the claim lapses unless the holder is active on the file (each activity pushes it out by the idle period).</summary>
    public DateTimeOffset? ClaimExpiresAt { get; private set; }
    public decimal? ApprovedAmount { get; private set; }
    public int? ApprovedMonths { get; private set; }
    public decimal? ApprovedRate { get; private set; }
    public string? ApprovalRule { get; private set; }
    public string? ApprovalConditions { get; private set; }
    public uint Version { get; private set; }
    public IReadOnlyList<ApplicationTransition> Transitions => _transitions;

    public static LoanApplication Receive(string number, Guid customerId, string applicantName, string district, string channel,
        Guid productId, string productCode, decimal amount, int months, decimal proposedRate, RepaymentMethod method, string purpose, DateTimeOffset at)
    {
        return new LoanApplication
        {
            Id = Guid.CreateVersion7(),
            Number = number,
            CustomerId = customerId,
            ApplicantName = applicantName,
            District = district,
            Channel = channel,
            ProductId = productId,
            ProductCode = productCode,
            RequestedAmount = amount,
            RequestedMonths = months,
            ProposedRate = proposedRate,
            Method = method,
            Purpose = purpose,
            State = ApplicationState.Received,
            ReceivedAt = at,
            StateSince = at,
        };
    }

    /// <summary>
    /// 迁移导入: the file of a loan brought over from the old system, already disbursed there on the terms given — one
    /// transition (Received → Disbursed, named "import") records who brought it in and from which file.
    /// </summary>
    public static LoanApplication Migrated(string number, Guid customerId, string applicantName, string district, Guid teamId, Guid? officerId,
        Guid productId, string productCode, decimal amount, int months, decimal annualRate, RepaymentMethod method, DateTimeOffset disbursedAt,
        Actor actor, string source)
    {
        var app = new LoanApplication
        {
            Id = Guid.CreateVersion7(),
            Number = number,
            CustomerId = customerId,
            ApplicantName = applicantName,
            District = district,
            TeamId = teamId,
            Channel = ImportChannel,
            ProductId = productId,
            ProductCode = productCode,
            RequestedAmount = amount,
            RequestedMonths = months,
            ProposedRate = annualRate,
            Method = method,
            Purpose = string.Empty,
            AssignedOfficerId = officerId,
            ApprovedAmount = amount,
            ApprovedMonths = months,
            ApprovedRate = annualRate,
            State = ApplicationState.Disbursed,
            ReceivedAt = disbursedAt,
            StateSince = disbursedAt,
        };
        app._transitions.Add(new ApplicationTransition(app.Id, ApplicationState.Received, ApplicationState.Disbursed, ImportTransition, actor, disbursedAt, source));
        return app;
    }

    /// <summary>The channel of a migrated file.</summary>
    public const string ImportChannel = "IMPORT";

    /// <summary>The one transition a migrated file has.</summary>
    public const string ImportTransition = "import";

    /// <summary>Puts the file in a team's pool (routing by district).</summary>
    public Result RouteTo(Guid teamId, Actor actor, DateTimeOffset at)
    {
        var moved = Move(ApplicationState.Pool, actor, at, null);
        if (moved.IsSuccess) TeamId = teamId;
        return moved;
    }

    /// <summary>From the pool to an officer: by the team lead, or by the officer themself when the team allows it.</summary>
    public Result Assign(Guid officerId, Actor actor, bool selfAssignmentAllowed, DateTimeOffset at)
    {
        if (actor.Roles.Contains(Roles.LoanOfficer) && !actor.Roles.Contains(Roles.TeamLead))
        {
            if (!selfAssignmentAllowed) return Error.Of(ErrorCodes.ApplicationSelfAssignmentNotAllowed);
            if (officerId != actor.UserId) return Error.Of(ErrorCodes.ApplicationTakeForSelfOnly);
        }

        var moved = Move(ApplicationState.Assigned, actor, at, null);
        if (moved.IsSuccess) AssignedOfficerId = officerId;
        return moved;
    }

    /// <summary>Reassigns an assigned or collecting file to another officer (team lead, reason required).</summary>
    public Result Reassign(Guid officerId, Actor actor, string? reason, DateTimeOffset at)
    {
        if (!actor.Roles.Contains(Roles.TeamLead)) return Error.Of(ErrorCodes.ApplicationReassignLeadOnly);
        if (State is not (ApplicationState.Assigned or ApplicationState.Collecting))
            return Error.Of(ErrorCodes.ApplicationCannotReassign, State);
        if (string.IsNullOrWhiteSpace(reason)) return Error.Of(ErrorCodes.ApplicationReassignReasonRequired).At("reason");
        if (officerId == AssignedOfficerId) return Error.Of(ErrorCodes.ApplicationAlreadyAssigned).At("officerId");
        AssignedOfficerId = officerId;
        _transitions.Add(new ApplicationTransition(Id, State, State, "reassign", actor, at, reason));
        return Result.Success();
    }

    public Result StartCollecting(Actor actor, DateTimeOffset at) => OfficerMove(ApplicationState.Collecting, actor, at, null);

    /// <summary>Updates the officer's part of the file while collecting (notes, proposed rate).</summary>
    public Result UpdateFile(Actor actor, string? investigationNotes, decimal proposedRate)
    {
        if (State != ApplicationState.Collecting) return Error.Of(ErrorCodes.ApplicationEditOnlyWhileCollecting);
        if (actor.UserId != AssignedOfficerId) return Error.Of(ErrorCodes.ApplicationAssignedOfficerOnly);
        InvestigationNotes = string.IsNullOrWhiteSpace(investigationNotes) ? null : investigationNotes.Trim();
        ProposedRate = proposedRate;
        return Result.Success();
    }

    /// <summary>Submits for review; refused while required documents are missing (the list says which).</summary>
    public Result Submit(Actor actor, IReadOnlyCollection<string> missingDocuments, DateTimeOffset at)
    {
        if (missingDocuments.Count > 0)
            return Error.Of(ErrorCodes.ApplicationDocumentsMissing, string.Join("、", missingDocuments));
        var moved = OfficerMove(ApplicationState.Submitted, actor, at, null);
        if (moved.IsSuccess) SubmittedBy = actor.UserId;
        return moved;
    }

    /// <summary>A reviewer opens the file: the review starts, or the claim is renewed; another live claim refuses.</summary>
    public Result Claim(Actor actor, DateTimeOffset at, TimeSpan idle)
    {
        if (State is not (ApplicationState.Submitted or ApplicationState.PreliminaryReview))
            return Error.Of(ErrorCodes.ApplicationNotAwaitingReview, State);
        if (HeldByAnother(actor, at))
            return Error.Of(ErrorCodes.ApplicationClaimed, ClaimedByName ?? "", ClaimedAt ?? default);
        if (State == ApplicationState.Submitted)
        {
            var moved = Move(ApplicationState.PreliminaryReview, actor, at, null);
            if (!moved.IsSuccess) return moved;
        }
        else if (!actor.Roles.Contains(Roles.Reviewer))
        {
            return Error.Of(ErrorCodes.ApplicationReviewerOnly);
        }

        if (ClaimedBy != actor.UserId || ClaimExpiresAt <= at) ClaimedAt = at;
        ClaimedBy = actor.UserId;
        ClaimedByName = actor.Name;
        ClaimExpiresAt = at + idle;
        return Result.Success();
    }

    /// <summary>
    /// The holder has been active on the file (reported outside this row, so that activity does not change the file's
    /// version): their claim lasts at least until <paramref name="until"/>. Activity of anyone but the holder is ignored.
    /// </summary>
    public void ExtendClaim(Guid holder, DateTimeOffset until)
    {
        if (ClaimedBy == holder && (ClaimExpiresAt is null || until > ClaimExpiresAt)) ClaimExpiresAt = until;
    }

    /// <summary>Whether someone holds the file at the given moment (a lapsed claim holds nothing).</summary>
    public bool IsClaimedAt(DateTimeOffset at) => ClaimedBy is not null && ClaimExpiresAt > at;

    public Result PassReview(Actor actor, string? comment, DateTimeOffset at) => ReviewerMove(ApplicationState.Approval, actor, at, comment);

    public Result Return(Actor actor, string? reason, DateTimeOffset at)
    {
        var result = State == ApplicationState.PreliminaryReview
            ? ReviewerMove(ApplicationState.Collecting, actor, at, reason)
            : FourEyes(actor) ?? Move(ApplicationState.Collecting, actor, at, reason);
        if (result.IsSuccess) ClearApproval();
        return result;
    }

    public Result Reject(Actor actor, string? reason, DateTimeOffset at)
    {
        if (State is ApplicationState.PreliminaryReview && HeldByAnother(actor, at)) return HeldError();
        if (State is ApplicationState.Approval or ApplicationState.FinalReview && FourEyes(actor) is { } refused) return refused;
        return Move(ApplicationState.Rejected, actor, at, reason);
    }

    public Result Withdraw(Actor actor, string? reason, DateTimeOffset at) => Move(ApplicationState.Withdrawn, actor, at, reason);

    /// <summary>Records the approval figures (aggregation, chief's settlement of a dispute, or the committee) and moves to final review.</summary>
    public Result RecordApproval(Actor actor, decimal amount, int months, decimal rate, string rule, string? conditions, DateTimeOffset at)
    {
        if (FourEyes(actor) is { } refused) return refused;
        if (amount <= 0m || months < 1) return Error.Of(ErrorCodes.ApplicationApprovedFiguresInvalid).At("amount");
        var moved = Move(ApplicationState.FinalReview, actor, at, rule);
        if (!moved.IsSuccess) return moved;
        ApprovedAmount = amount;
        ApprovedMonths = months;
        ApprovedRate = rate;
        ApprovalRule = rule;
        ApprovalConditions = string.IsNullOrWhiteSpace(conditions) ? null : conditions.Trim();
        return Result.Success();
    }

    /// <summary>终审: by a chief approver who neither submitted the file nor settled its approval (four eyes).</summary>
    public Result ConfirmFinalReview(Actor actor, string? comment, DateTimeOffset at)
    {
        if (FourEyes(actor) is { } refused) return refused;
        if (_transitions.Where(t => t.To == ApplicationState.FinalReview).MaxBy(t => t.At)?.ActorId == actor.UserId)
            return Error.Of(ErrorCodes.FinalReviewFourEyes);
        return Move(ApplicationState.Approved, actor, at, comment);
    }

    /// <summary>
    /// 签约日期: not before the final approval and not in the future (all dates are business dates in China time,
    /// given by the caller).
    /// </summary>
    public static Error? CheckContractDate(DateOnly signedOn, DateOnly approvedOn, DateOnly today)
    {
        if (signedOn > today) return Error.Of(ErrorCodes.DateInFuture, today).At("signedOn");
        if (signedOn < approvedOn) return Error.Of(ErrorCodes.ContractBeforeApproval, approvedOn).At("signedOn");
        return null;
    }

    /// <summary>放款日期: not before the contract was signed and not in the future.</summary>
    public static Error? CheckDisbursementDate(DateOnly disbursedOn, DateOnly signedOn, DateOnly today)
    {
        if (disbursedOn > today) return Error.Of(ErrorCodes.DateInFuture, today).At("date");
        if (disbursedOn < signedOn) return Error.Of(ErrorCodes.DisbursementBeforeContract, signedOn).At("date");
        return null;
    }

    public Result MarkContracted(Actor actor, string contractNumber, DateTimeOffset at) =>
        Move(ApplicationState.Contracted, actor, at, contractNumber);

    public Result MarkDisbursed(Actor actor, string loanNumber, DateTimeOffset at) =>
        Move(ApplicationState.Disbursed, actor, at, loanNumber);

    /// <summary>Nobody approves (votes, settles, confirms) a file they submitted.</summary>
    public Error? FourEyes(Actor actor) =>
        SubmittedBy is { } submitter && submitter == actor.UserId
            ? Error.Of(ErrorCodes.ApplicationSubmitterFourEyes)
            : null;

    /// <summary>How long the file has been in each stage, in order (the current one up to <paramref name="now"/>).</summary>
    public IReadOnlyList<(ApplicationState State, TimeSpan Duration)> TimeInStages(DateTimeOffset now)
    {
        var result = new List<(ApplicationState, TimeSpan)>();
        var since = ReceivedAt;
        var state = ApplicationState.Received;
        foreach (var t in _transitions.Where(t => t.From != t.To).OrderBy(t => t.At))
        {
            result.Add((state, t.At - since));
            state = t.To;
            since = t.At;
        }

        result.Add((state, now - since));
        return result;
    }

    private bool HeldByAnother(Actor actor, DateTimeOffset at) =>
        ClaimedBy is { } holder && holder != actor.UserId && ClaimExpiresAt > at;

    private Error HeldError() => Error.Of(ErrorCodes.ApplicationClaimed, ClaimedByName ?? "", ClaimedAt ?? default);

    /// <summary>How long a reviewer's claim lasts without activity, unless configured otherwise (Review:ClaimIdleMinutes).</summary>
    public static TimeSpan DefaultClaimIdle { get; } = TimeSpan.FromMinutes(15);

    private Result ReviewerMove(ApplicationState to, Actor actor, DateTimeOffset at, string? comment)
    {
        if (HeldByAnother(actor, at)) return HeldError();
        var moved = Move(to, actor, at, comment);
        if (moved.IsSuccess)
        {
            ClaimedBy = null;
            ClaimedByName = null;
            ClaimedAt = null;
            ClaimExpiresAt = null;
        }

        return moved;
    }

    private Result OfficerMove(ApplicationState to, Actor actor, DateTimeOffset at, string? comment)
    {
        if (actor.UserId != AssignedOfficerId && !actor.Roles.Contains(Roles.TeamLead))
            return Error.Of(ErrorCodes.ApplicationAssignedOfficerOnly);
        return Move(to, actor, at, comment);
    }

    private Result Move(ApplicationState to, Actor actor, DateTimeOffset at, string? comment)
    {
        var check = ApplicationStateMachine.Check(State, to, actor.Roles, comment);
        if (!check.IsSuccess) return check.Error!;
        _transitions.Add(new ApplicationTransition(Id, State, to, check.Value!.Name, actor, at, comment));
        State = to;
        StateSince = at;
        return Result.Success();
    }

    private void ClearApproval()
    {
        ApprovedAmount = null;
        ApprovedMonths = null;
        ApprovedRate = null;
        ApprovalRule = null;
        ApprovalConditions = null;
    }
}
