using LoanOffice.Data;
using LoanOffice.Data.Origination;
using LoanOffice.Domain.Common;
using LoanOffice.Web.Features.Applications;
using Microsoft.EntityFrameworkCore;

namespace LoanOffice.Web.Features.Servicing;

/// <summary>
/// The first step of every command on a loan, inside the caller's transaction: lock the loan row (the nightly close
/// skips it meanwhile), load it with its installments, check the caller's data scope and the version the user saw
/// (optimistic concurrency on xmin, also checked again at save).
/// </summary>
internal static class LoanLock
{
    public static Error OutOfScope => Error.Forbidden("This loan is outside your data scope.");

    /// <returns>The loan, or the refusal; <paramref name="conflict"/> words a stale version.</returns>
    public static async Task<Result<Loan>> LockAsync(OriginationContext context, LoanOfficeDbContext db, Guid loanId, uint version, Func<Task<Error>> conflict)
    {
        await db.Database.ExecuteSqlAsync($"""SELECT 1 FROM loans WHERE "Id" = {loanId} FOR UPDATE""");
        var loan = await db.Loans.Include(l => l.Installments).SingleOrDefaultAsync(l => l.Id == loanId);
        if (loan is null) return Error.NotFound("The loan");
        if (!(await context.ScopeAsync()).CanSee(loan.TeamId, loan.OfficerId)) return OutOfScope;
        if (loan.Version != version) return await conflict();
        db.Entry(loan).Property(l => l.Version).OriginalValue = version;
        return loan;
    }
}
