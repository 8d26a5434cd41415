using LoanOffice.Web.Hosting;
using System.Text.Json;
using LoanOffice.Data;
using LoanOffice.Data.Origination;
using LoanOffice.Domain.Applications;
using LoanOffice.Domain.Common;
using LoanOffice.Domain.Organisation;
using Microsoft.EntityFrameworkCore;

namespace LoanOffice.Web.Features.Applications;

public sealed record VoteRow(string ApproverName, bool Approve, decimal? Amount, int? Months, string? Comment, DateTimeOffset CastAt);

public sealed record VotesView(bool Visible, int Round, int Required, int Cast, IReadOnlyList<VoteRow> Votes, ApprovalDecisionRecord? Decision);

public sealed record CommitteeMemberVote(string Member, bool Approve, string? Comment);

/// <summary>
/// Approval of a file in the Approval state. Centralized teams: each member of the team's approver group votes once
/// (blind until they have voted); when all have voted the domain's aggregation decides, or the ChiefApprover settles a
/// dispute or a reject. Committee teams: the file is put on a meeting's agenda and the secretary records the decision.
/// </summary>
public sealed class ApprovalService(ActorContext context, ApplicationWorkflow workflow)
{
    /// <summary>The approval round: how many times the file has entered Approval.</summary>
    public static int RoundOf(LoanApplication app) => app.Transitions.Count(t => t.To == ApplicationState.Approval && t.From != t.To);

    public async Task<Result> VoteAsync(Guid applicationId, bool approve, decimal? amount, int? months, string? comment)
    {
        if (ApprovalRound.CheckBallot(approve, amount, months, comment) is { } invalid) return invalid;
        return await workflow.Command(applicationId, null, async (db, app, actor, now) =>
        {
            if (!actor.Roles.Contains(Roles.Approver)) return Error.Of(ErrorCodes.VoteApproverOnly);
            if (app.State != ApplicationState.Approval) return Error.Of(ErrorCodes.VoteNotInApproval);
            var team = await db.Teams.AsNoTracking().SingleAsync(t => t.Id == app.TeamId);
            if (team.ApprovalMode != ApprovalMode.Centralized) return Error.Of(ErrorCodes.VoteCommitteeTeam);
            if (app.FourEyes(actor) is { } fourEyes) return fourEyes;
            var round = await RoundAsync(db, app);
            var cast = round.Cast(actor, approve, amount, months, comment);
            if (!cast.IsSuccess) return cast.Error!;

            var vote = new ApprovalVoteRecord
            {
                Id = Guid.CreateVersion7(), ApplicationId = app.Id, ApproverId = actor.UserId, ApproverName = actor.Name,
                Approve = cast.Value!.Approve, Amount = cast.Value.Amount, Months = cast.Value.Months,
                Comment = cast.Value.Comment, CastAt = now, Round = round.Number,
            };
            db.ApprovalVotes.Add(vote);
            // Every vote also updates the application row under its xmin check, so two votes at the same moment
            // serialize: the loser gets "changed by someone else" and votes again, and never two aggregations run.
            db.Entry(app).Property(a => a.StateSince).IsModified = true;

            if (!round.IsComplete) return Result.Success();
            var votes = await db.ApprovalVotes.Where(v => v.ApplicationId == app.Id && v.Round == round.Number).ToListAsync();
            if (!votes.Contains(vote)) votes.Add(vote);
            var aggregated = round.Aggregate();
            if (!aggregated.IsSuccess) return aggregated.Error!;
            var r = aggregated.Value!;
            var explanation = NameApprovers(r.Explanation, votes);
            var basis = r.Basis with { Rejecters = r.Basis.Rejecters.Select(id => NameApprovers(id, votes)).ToList() };
            db.ApprovalDecisions.Add(new ApprovalDecisionRecord
            {
                Id = Guid.CreateVersion7(), ApplicationId = app.Id, Round = round.Number, Outcome = r.Outcome.ToString(), Amount = r.Amount, Months = r.Months,
                AmountRule = r.AmountRule?.ToString(), TermRule = r.TermRule?.ToString(), Explanation = explanation,
                Basis = JsonSerializer.Serialize(basis), DecidedAt = now,
            });
            if (r.Outcome == AggregationOutcome.Decided)
                return app.RecordApproval(Actor.System("aggregation"), r.Amount!.Value, r.Months!.Value, app.ProposedRate, explanation, null, now);
            return Result.Success();
        });
    }

    /// <summary>The current round as the domain sees it: its number, the team's approver group, the votes so far, the product.</summary>
    private static async Task<ApprovalRound> RoundAsync(LoanOffice.Data.LoanOfficeDbContext db, LoanApplication app)
    {
        var number = RoundOf(app);
        var group = await db.TeamApprovers.Where(a => a.TeamId == app.TeamId).Select(a => a.UserId).ToListAsync();
        var votes = await db.ApprovalVotes.AsNoTracking().Where(v => v.ApplicationId == app.Id && v.Round == number).OrderBy(v => v.CastAt)
            .Select(v => new CastVote(v.ApproverId, v.Approve, v.Amount, v.Months, v.Comment)).ToListAsync();
        var product = (await db.Products.AsNoTracking().SingleAsync(p => p.Id == app.ProductId)).ToDomain();
        return new ApprovalRound(number, group, votes, product, app.Method);
    }

    /// <summary>The ChiefApprover settles a dispute or a reject: sets the figures (approve) or rejects, with a comment.</summary>
    public Task<Result> SettleAsync(Guid applicationId, bool approve, decimal? amount, int? months, string? comment, uint version)
    {
        if (string.IsNullOrWhiteSpace(comment)) return Task.FromResult<Result>(Error.Of(ErrorCodes.DisputeCommentRequired).At("comment"));
        return workflow.Command(applicationId, version, async (db, app, actor, now) =>
        {
            if (!actor.Roles.Contains(Roles.ChiefApprover)) return Error.Of(ErrorCodes.DisputeChiefOnly);
            var round = RoundOf(app);
            var decision = await db.ApprovalDecisions.SingleOrDefaultAsync(d => d.ApplicationId == app.Id && d.Round == round);
            if (app.State != ApplicationState.Approval || decision is null || decision.Outcome == nameof(AggregationOutcome.Decided))
                return Error.Of(ErrorCodes.DisputeNone);
            decision.SettledBy = actor.UserId;
            decision.SettledByName = actor.Name;
            decision.SettlementComment = comment!.Trim();
            if (!approve) return app.Reject(actor, comment, now);
            var product = (await db.Products.AsNoTracking().SingleAsync(p => p.Id == app.ProductId)).ToDomain();
            var finalAmount = amount ?? decision.Amount;
            var finalMonths = months ?? decision.Months;
            if (finalAmount is null) return Error.Of(ErrorCodes.DisputeAmountRequired).At("amount");
            if (finalMonths is null) return Error.Of(ErrorCodes.DisputeMonthsRequired).At("months");
            var check = product.CheckRequest(finalAmount.Value, finalMonths.Value, product.MinAnnualRate, app.Method);
            if (!check.IsSuccess) return check.Error!;
            return app.RecordApproval(actor, finalAmount.Value, finalMonths.Value, app.ProposedRate,
                $"{decision.Explanation} Settled by {actor.Name}: {comment.Trim()}", null, now);
        });
    }

    /// <summary>Votes of the current round: visible to an approver only after they voted; always to the chief, compliance, management.</summary>
    public async Task<Result<VotesView>> VotesAsync(Guid applicationId)
    {
        var actor = await context.ActorAsync();
        if (actor is null) return ActorContext.NotSignedIn;
        await using var db = await context.OpenAsync();
        var (app, error) = await context.LoadForCommandAsync(db, applicationId, null);
        if (error is not null) return error;
        var round = RoundOf(app!);
        var votes = await db.ApprovalVotes.AsNoTracking().Where(v => v.ApplicationId == applicationId && v.Round == round).OrderBy(v => v.CastAt).ToListAsync();
        var decision = await db.ApprovalDecisions.AsNoTracking().SingleOrDefaultAsync(d => d.ApplicationId == applicationId && d.Round == round);
        var domainRound = await RoundAsync(db, app!);
        var visible = domainRound.VisibleTo(actor.UserId, actor.Roles, app!.State == ApplicationState.Approval);
        return new VotesView(visible, round, domainRound.Required, votes.Count,
            visible ? votes.Select(v => new VoteRow(v.ApproverName, v.Approve, v.Amount, v.Months, v.Comment, v.CastAt)).ToList() : [],
            decision);
    }

    /// <summary>Puts a file of a committee-mode team on a meeting's agenda (the meeting is created when it does not exist).</summary>
    public async Task<Result<Guid>> RegisterForMeetingAsync(Guid applicationId, DateOnly meetingDate, IReadOnlyList<string> members)
    {
        if (members.Count == 0 || members.Any(string.IsNullOrWhiteSpace)) return Error.Of(ErrorCodes.CommitteeMembersRequired).At("members");
        Guid meetingId = Guid.Empty;
        var result = await workflow.Command(applicationId, null, async (db, app, actor, now) =>
        {
            if (!actor.Roles.Overlaps([Roles.TeamLead, Roles.ChiefApprover, Roles.Approver]))
                return Error.Of(ErrorCodes.CommitteeRegisterLeadOnly);
            if (app.State != ApplicationState.Approval) return Error.Of(ErrorCodes.CommitteeNotInApproval);
            var team = await db.Teams.AsNoTracking().SingleAsync(t => t.Id == app.TeamId);
            if (team.ApprovalMode != ApprovalMode.Committee) return Error.Of(ErrorCodes.CommitteeCentralizedTeam);
            var meeting = await db.CommitteeMeetings.SingleOrDefaultAsync(m => m.TeamId == app.TeamId && m.MeetingDate == meetingDate);
            if (meeting is null)
            {
                meeting = new CommitteeMeeting { Id = Guid.CreateVersion7(), TeamId = app.TeamId, MeetingDate = meetingDate, Members = members.Select(m => m.Trim()).ToList(), CreatedBy = actor.UserId, CreatedAt = now };
                db.CommitteeMeetings.Add(meeting);
            }

            if (await db.CommitteeAgendaItems.AnyAsync(i => i.ApplicationId == app.Id && i.RecordedAt == null))
                return Error.Of(ErrorCodes.CommitteeAlreadyOnAgenda);
            meetingId = meeting.Id;
            db.CommitteeAgendaItems.Add(new CommitteeAgendaItem { Id = Guid.CreateVersion7(), MeetingId = meeting.Id, ApplicationId = app.Id });
            return Result.Success();
        });
        return result.IsSuccess ? meetingId : result.Error!;
    }

    /// <summary>The secretary records the committee's decision with each member's vote and comment.</summary>
    public Task<Result> RecordCommitteeDecisionAsync(Guid applicationId, bool approve, decimal? amount, int? months, decimal? annualRate,
        string? conditions, IReadOnlyList<CommitteeMemberVote> memberVotes, uint version) =>
        workflow.Command(applicationId, version, async (db, app, actor, now) =>
        {
            if (!actor.Roles.Overlaps([Roles.TeamLead, Roles.ChiefApprover, Roles.Approver]))
                return Error.Of(ErrorCodes.CommitteeSecretaryOnly);
            var item = await db.CommitteeAgendaItems.SingleOrDefaultAsync(i => i.ApplicationId == app.Id && i.RecordedAt == null);
            if (item is null) return Error.Of(ErrorCodes.CommitteeNotOnAgenda);
            var meeting = await db.CommitteeMeetings.AsNoTracking().SingleAsync(m => m.Id == item.MeetingId);
            var unknown = memberVotes.Select(v => v.Member).Except(meeting.Members).ToList();
            if (unknown.Count > 0) return Error.Of(ErrorCodes.CommitteeNotMembers, string.Join("、", unknown)).At("memberVotes");
            if (meeting.Members.Except(memberVotes.Select(v => v.Member)).Any()) return Error.Of(ErrorCodes.CommitteeAllVotesRequired).At("memberVotes");
            item.Approved = approve;
            item.MemberVotes = JsonSerializer.Serialize(memberVotes);
            item.RecordedBy = actor.UserId;
            item.RecordedAt = now;
            // The members' votes and comments stay in the agenda item, shown only to the roles allowed to see them
            // (Committee:DecisionVisibleTo); the file's rule and timeline say only what was decided.
            var rule = FormattableString.Invariant($"Committee meeting {meeting.MeetingDate:yyyy-MM-dd}: {(approve ? "approved" : "rejected")}.");
            if (!approve) return app.Reject(actor, string.IsNullOrWhiteSpace(conditions) ? rule : conditions, now);
            var product = (await db.Products.AsNoTracking().SingleAsync(p => p.Id == app.ProductId)).ToDomain();
            if (amount is null || months is null || annualRate is null) return Error.Of(ErrorCodes.CommitteeFiguresRequired).At("amount");
            var check = product.CheckRequest(amount.Value, months.Value, annualRate.Value, app.Method);
            if (!check.IsSuccess) return check.Error!;
            item.Amount = amount;
            item.Months = months;
            item.AnnualRate = annualRate;
            item.Conditions = conditions;
            return app.RecordApproval(actor, amount.Value, months.Value, annualRate.Value, rule, conditions, now);
        });

    private static string NameApprovers(string explanation, List<ApprovalVoteRecord> votes) =>
        votes.Aggregate(explanation, (text, v) => text.Replace(v.ApproverId.ToString(), v.ApproverName, StringComparison.Ordinal));
}
