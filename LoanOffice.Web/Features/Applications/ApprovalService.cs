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

/// <summary>A committee member's recorded vote (stored as JSON on the agenda item; MemberId is empty in records made before members were staff users).</summary>
public sealed record CommitteeMemberVote(string Member, bool Approve, string? Comment)
{
    public Guid MemberId { get; init; }
}

/// <summary>
/// Approval of a file in the Approval state. Centralized teams: each member of the team's approver group votes once
/// (blind until they have voted); when all have voted the domain's aggregation decides, or the ChiefApprover settles a
/// dispute or a reject. Committee teams: see <see cref="Committee.CommitteeService"/>.
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
        }, IntranetActions.Vote);
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
        }, IntranetActions.DisputeSettlement);
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

    private static string NameApprovers(string explanation, List<ApprovalVoteRecord> votes) =>
        votes.Aggregate(explanation, (text, v) => text.Replace(v.ApproverId.ToString(), v.ApproverName, StringComparison.Ordinal));
}
