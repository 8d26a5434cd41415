using LoanOffice.Data.Servicing;
using LoanOffice.Web.Hosting;
using LoanOffice.Data;
using LoanOffice.Domain.Applications;
using LoanOffice.Domain.Common;
using LoanOffice.Web.Features.Applications;
using Microsoft.EntityFrameworkCore;
using Loan = LoanOffice.Data.Origination.Loan;

namespace LoanOffice.Web.Features.Servicing;

/// <summary>
/// The one command pipeline for a loan: check the actor's role, open a transaction, lock the loan row (the nightly
/// close skips it meanwhile), load it with its installments, check the caller's data scope and the version the user
/// saw (optimistic concurrency on xmin, also checked again at save), run the work (which calls the domain), save —
/// the audit interceptor writes the audit rows in the same transaction — and commit. Any refusal leaves the database
/// unchanged.
/// </summary>
internal static class LoanLock
{
    public static Error OutOfScope => Error.Of(ErrorCodes.OutOfScope);

    /// <summary>Runs <paramref name="work"/> on the locked loan; <paramref name="duplicate"/> words a unique-key violation.</summary>
    public static async Task<Result<T>> CommandAsync<T>(ActorContext context, Guid loanId, uint version, IReadOnlyCollection<string> roles,
        Error forbidden, Func<LoanOfficeDbContext, Loan, Actor, Task<Result<T>>> work, Error? duplicate = null)
    {
        var actor = await context.ActorAsync();
        if (actor is null) return ActorContext.NotSignedIn;
        if (!roles.Any(actor.Roles.Contains)) return forbidden;
        await using var db = await context.OpenAsync();
        await using var tx = await db.Database.BeginTransactionAsync();
        await db.Database.ExecuteSqlAsync($"""SELECT 1 FROM loans WHERE "Id" = {loanId} FOR UPDATE""");
        var loan = await db.Loans.Include(l => l.Installments).SingleOrDefaultAsync(l => l.Id == loanId);
        if (loan is null) return Error.Of(ErrorCodes.NotFound);
        if (!(await context.ScopeAsync()).CanSee(loan.TeamId, loan.OfficerId)) return OutOfScope;
        if (loan.Version != version) return Error.Of(ErrorCodes.ChangedSinceOpened);
        db.Entry(loan).Property(l => l.Version).OriginalValue = version;
        loan.BringForward(await db.ClosedThroughAsync());
        var result = await work(db, loan, actor);
        if (!result.IsSuccess) return result;
        // bringing a resting loan forward is no change of its own: a command that changes nothing else leaves the row (and its version) alone
        db.ChangeTracker.DetectChanges();
        var row = db.Entry(loan);
        if (!row.Properties.Any(p => p.IsModified && p.Metadata.Name != nameof(Loan.ClosedThrough)))
            row.Property(l => l.ClosedThrough).IsModified = false;
        try
        {
            await db.SaveChangesAsync();
            await tx.CommitAsync();
            return result;
        }
        catch (DbUpdateConcurrencyException)
        {
            return Error.Of(ErrorCodes.ChangedSinceOpened);
        }
        catch (DbUpdateException ex) when (ex.InnerException is Npgsql.PostgresException { SqlState: "23505" } && duplicate is not null)
        {
            return duplicate;
        }
    }

    /// <summary>A read: the loan with its installments if it exists and is in the caller's scope.</summary>
    public static async Task<Result<Loan>> ReadAsync(ActorContext context, LoanOfficeDbContext db, Guid loanId)
    {
        var loan = await db.Loans.AsNoTracking().Include(l => l.Installments).SingleOrDefaultAsync(l => l.Id == loanId);
        if (loan is null) return Error.Of(ErrorCodes.NotFound);
        if (!(await context.ScopeAsync()).CanSee(loan.TeamId, loan.OfficerId)) return OutOfScope;
        loan.BringForward(await db.ClosedThroughAsync());
        return loan;
    }
}
