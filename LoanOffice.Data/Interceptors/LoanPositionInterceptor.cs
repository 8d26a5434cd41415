using LoanOffice.Data.Origination;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace LoanOffice.Data.Interceptors;

/// <summary>
/// Before every save: each loan being added or changed, or whose installments change, gets its stored position again
/// (<see cref="Loan.RefreshPosition"/>), in the same UPDATE as the rest of the loan row — so the row's version check
/// is the only write to it and the figures can never lag the installments. Installments changed without their loan
/// in the context would leave the position behind: that is refused.
/// </summary>
public sealed class LoanPositionInterceptor : SaveChangesInterceptor
{
    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Refresh(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData,
        InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Refresh(eventData.Context);
        return ValueTask.FromResult(result);
    }

    private static void Refresh(DbContext? context)
    {
        if (context is null) return;
        context.ChangeTracker.DetectChanges();
        var loans = context.ChangeTracker.Entries<Loan>().ToDictionary(e => e.Entity.Id);
        var touched = context.ChangeTracker.Entries<LoanInstallment>()
            .Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
            .Select(e => e.Entity.LoanId).ToHashSet();
        foreach (var id in touched)
            if (!loans.ContainsKey(id))
                throw new InvalidOperationException($"Installments of loan {id} changed without the loan: its stored position would lag them.");
        foreach (var (id, entry) in loans)
            if (entry.State is EntityState.Added or EntityState.Modified || touched.Contains(id))
                entry.Entity.RefreshPosition();
    }
}
