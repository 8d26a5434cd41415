using LoanOffice.Web.Hosting;
using System.Text.Json;
using LoanOffice.Data;
using LoanOffice.Data.Origination;
using LoanOffice.Data.Servicing;
using LoanOffice.Domain.Applications;
using LoanOffice.Domain.Common;
using LoanOffice.Domain.Loans;
using Loan = LoanOffice.Data.Origination.Loan;
using LoanOffice.Domain.Organisation;
using LoanOffice.Web.Components.Shared;
using LoanOffice.Web.Features.Applications;
using Microsoft.EntityFrameworkCore;

namespace LoanOffice.Web.Features.Servicing;

public sealed record ExtensionRow(Guid Id, DateOnly NewMaturity, string Reason, ExtensionStatus Status, Guid RequestedBy, string RequestedByName,
    DateTimeOffset RequestedAt, string? DecidedByName, DateTimeOffset? DecidedAt, DateOnly? EffectiveOn, string? Comment, uint Version);

/// <summary>
/// The risk side of a loan: manual five-level classification (ChiefApprover or GM, worse than DPD only, with a
/// reason) and extensions (展期: the loan's officer or team lead requests, a ChiefApprover other than the requester
/// approves or rejects; approval regenerates the schedule through <see cref="Extension"/> and keeps the old one).
/// Every command checks role and scope, locks the loan row and checks the version the user saw.
/// </summary>
public sealed class LoanRiskService(ActorContext context)
{
    public static readonly string[] ClassifierRoles = [Roles.ChiefApprover, Roles.GeneralManager];
    public static readonly string[] ExtensionRequesterRoles = [Roles.LoanOfficer, Roles.TeamLead];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);


    public async Task<Result> SetManualClassAsync(Guid loanId, LoanClass requested, string? reason, uint version)
    {
        if (await context.RequireIntranetAsync(IntranetActions.ManualClassification, "Loan", loanId) is { } outside) return outside;
        return await CommandAsync(loanId, version, ClassifierRoles, Error.Of(ErrorCodes.RiskClassifierOnly), async (db, loan, actor) =>
        {
            var checkedClass = Classification.SetManually(loan.DpdClass, requested, reason);
            if (!checkedClass.IsSuccess) return checkedClass.Error!;
            var manual = Classification.ManualToKeep(loan.DpdClass, requested);
            var effective = Classification.Effective(loan.DpdClass, manual);
            db.LoanClassChanges.Add(new LoanClassChange
            {
                LoanId = loan.Id, BusinessDate = loan.ClosedThrough, DaysPastDue = loan.DaysPastDue, FromClass = loan.Class, ToClass = effective,
                Source = ClassSource.Manual, Reason = reason!.Trim(), Actor = actor.Name, At = context.Now,
            });
            (loan.ManualClass, loan.ManualClassReason, loan.Class) = (manual, manual is null ? null : reason.Trim(), effective);
            return Result.Success();
        });
    }

    public async Task<IReadOnlyList<ExtensionRow>> ExtensionsAsync(Guid loanId)
    {
        await using var db = await context.OpenAsync();
        var loan = await db.Loans.AsNoTracking().Where(l => l.Id == loanId).Select(l => new { l.TeamId, l.OfficerId }).SingleOrDefaultAsync();
        if (loan is null || !(await context.ScopeAsync()).CanSee(loan.TeamId, loan.OfficerId)) return [];
        return await db.LoanExtensions.AsNoTracking().Where(e => e.LoanId == loanId).OrderByDescending(e => e.RequestedAt)
            .Select(e => new ExtensionRow(e.Id, e.NewMaturity, e.Reason, e.Status, e.RequestedBy, e.RequestedByName, e.RequestedAt, e.DecidedByName, e.DecidedAt, e.EffectiveOn, e.Comment, e.Version))
            .ToListAsync();
    }

    /// <summary>The extension as it would be approved today (nothing is saved).</summary>
    public async Task<Result<ExtensionPlan>> PreviewExtensionAsync(Guid loanId, DateOnly newMaturity)
    {
        await using var db = await context.OpenAsync();
        var loan = await LoanLock.ReadAsync(context, db, loanId);
        return loan.IsSuccess ? await PlanAsync(db, loan.Value!, newMaturity) : loan.Error!;
    }

    public async Task<Result<Guid>> RequestExtensionAsync(Guid loanId, DateOnly? newMaturity, string? reason, uint version)
    {
        if (newMaturity is null) return Error.Of(ErrorCodes.ExtensionMaturityRequired).At("newMaturity");
        if (string.IsNullOrWhiteSpace(reason)) return Error.Of(ErrorCodes.ExtensionReasonRequired).At("reason");
        if (reason.Trim().Length > 1000) return Error.Of(ErrorCodes.InputTooLong, 1000).At("reason");
        var id = Guid.Empty;
        var outcome = await CommandAsync(loanId, version, ExtensionRequesterRoles, Error.Of(ErrorCodes.RiskRequesterOnly), async (db, loan, actor) =>
        {
            if (await db.LoanExtensions.AnyAsync(e => e.LoanId == loan.Id && e.Status == ExtensionStatus.Pending))
                return Error.Of(ErrorCodes.ExtensionPending);
            var plan = await PlanAsync(db, loan, newMaturity.Value);
            if (!plan.IsSuccess) return plan.Error!;
            var extension = new LoanExtension
            {
                Id = Guid.CreateVersion7(), LoanId = loan.Id, NewMaturity = newMaturity.Value, Reason = reason.Trim(), Status = ExtensionStatus.Pending,
                RequestedBy = actor.UserId, RequestedByName = actor.Name, RequestedAt = context.Now,
            };
            db.LoanExtensions.Add(extension);
            id = extension.Id;
            return Result.Success();
        });
        return outcome.IsSuccess ? id : outcome.Error!;
    }

    /// <summary>A ChiefApprover (not the requester) approves: the schedule is regenerated from the loan's open business date.</summary>
    public async Task<Result<ExtensionPlan>> ApproveExtensionAsync(Guid extensionId, string? comment, uint loanVersion) =>
        await DecideAsync(extensionId, loanVersion, approve: true, comment);

    public async Task<Result<ExtensionPlan>> RejectExtensionAsync(Guid extensionId, string? comment, uint loanVersion)
    {
        if (string.IsNullOrWhiteSpace(comment)) return Error.Of(ErrorCodes.ExtensionRejectReasonRequired).At("comment");
        return await DecideAsync(extensionId, loanVersion, approve: false, comment);
    }

    private async Task<Result<ExtensionPlan>> DecideAsync(Guid extensionId, uint loanVersion, bool approve, string? comment)
    {
        if (await context.RequireIntranetAsync(IntranetActions.ExtensionDecision, "LoanExtension", extensionId) is { } outside) return outside;
        await using (var lookup = await context.OpenAsync())
        {
            if (await lookup.LoanExtensions.AsNoTracking().Where(e => e.Id == extensionId).Select(e => (Guid?)e.LoanId).SingleOrDefaultAsync() is not { } loanId)
                return Error.Of(ErrorCodes.ExtensionNotFound);
            ExtensionPlan? approved = null;
            var outcome = await CommandAsync(loanId, loanVersion, [Roles.ChiefApprover], Error.Of(ErrorCodes.RiskChiefOnly), async (db, loan, actor) =>
            {
                var extension = await db.LoanExtensions.SingleAsync(e => e.Id == extensionId);
                if (extension.Status != ExtensionStatus.Pending)
                    return Error.Of(ErrorCodes.ExtensionDecided, extension.Status, extension.DecidedByName ?? "");
                if (extension.RequestedBy == actor.UserId)
                    return Error.Of(ErrorCodes.ExtensionFourEyes);
                (extension.DecidedBy, extension.DecidedByName, extension.DecidedAt, extension.Comment) = (actor.UserId, actor.Name, context.Now, comment?.Trim());
                if (!approve)
                {
                    extension.Status = ExtensionStatus.Rejected;
                    return Result.Success();
                }

                var plan = await PlanAsync(db, loan, extension.NewMaturity);
                if (!plan.IsSuccess) return plan.Error!;
                approved = plan.Value!;
                var old = loan.Installments.OrderBy(i => i.Number).ToList();
                db.LoanScheduleVersions.Add(new LoanScheduleVersion
                {
                    LoanId = loan.Id, Reason = $"Extension to {Fmt.Date(extension.NewMaturity)} from {Fmt.Date(approved.EffectiveOn)}", ReplacedAt = context.Now,
                    Installments = JsonSerializer.Serialize(old.Select(i => new { i.Number, i.DueDate, i.Principal, i.Interest, i.PrincipalPaid, i.InterestPaid }), Json),
                });
                var kept = approved.Kept.Select(k => k.Number).ToHashSet();
                foreach (var line in old.Where(i => !kept.Contains(i.Number))) loan.Installments.Remove(line);
                foreach (var line in approved.NewInstallments)
                {
                    loan.Installments.Add(new LoanInstallment
                    {
                        LoanId = loan.Id, Number = line.Number, DueDate = line.DueDate, Principal = line.Principal, Interest = line.Interest,
                        PrincipalPaid = line.PrincipalPaid, InterestPaid = line.InterestPaid,
                    });
                }

                loan.ScheduleNextClose(); // the new due dates bring new reminders
                (extension.Status, extension.EffectiveOn) = (ExtensionStatus.Approved, approved.EffectiveOn);
                loan.Extended = true;
                return Result.Success();
            });
            if (!outcome.IsSuccess) return outcome.Error!;
            return approved ?? new ExtensionPlan(default, default, default, 0, 0m, [], []);
        }
    }

    /// <summary>The loan aggregate plans the extension on its position after the last close.</summary>
    private static async Task<Result<ExtensionPlan>> PlanAsync(LoanOfficeDbContext db, Loan loan, DateOnly newMaturity)
    {
        if (!loan.IsOpen) return Error.Of(ErrorCodes.NotActive, loan.Status);
        var (aggregate, _) = await LoanServicing.LoadAsync(db, loan);
        return aggregate.Extend(newMaturity, loan.ClosedThrough);
    }

    /// <summary>The one loan command pipeline (<see cref="LoanLock"/>).</summary>
    private async Task<Result> CommandAsync(Guid loanId, uint version, string[] roles, Error forbidden, Func<LoanOfficeDbContext, Loan, Actor, Task<Result>> work)
    {
        var outcome = await LoanLock.CommandAsync<bool>(context, loanId, version, roles, forbidden, async (db, loan, actor) =>
        {
            var result = await work(db, loan, actor);
            return result.IsSuccess ? true : result.Error!;
        }, Error.Of(ErrorCodes.ExtensionPending));
        return outcome.IsSuccess ? Result.Success() : outcome.Error!;
    }
}
