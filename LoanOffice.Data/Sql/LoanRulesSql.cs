using LoanOffice.Domain.Loans;
using Microsoft.EntityFrameworkCore;

namespace LoanOffice.Data.Sql;

/// <summary>
/// The SQL functions of LoanRules.sql as EF Core functions, so LINQ queries (reports, queues) call the one SQL rule
/// instead of restating it. Evaluated in C#, each calls the domain's rule it mirrors.
/// </summary>
public static class LoanRulesSql
{
    /// <summary><c>lo_is_overdue</c>: something is owed and <paramref name="on"/> is after the due date plus grace.</summary>
    public static bool IsOverdue(DateOnly dueDate, int graceDays, decimal principalOutstanding, decimal interestOutstanding, DateOnly on) =>
        PaymentAllocator.IsOverdue(new InstallmentBalance(0, dueDate, principalOutstanding, interestOutstanding), on, graceDays);

    internal static void Map(ModelBuilder builder) =>
        builder.HasDbFunction(typeof(LoanRulesSql).GetMethod(nameof(IsOverdue))!).HasName("lo_is_overdue").HasSchema(null);
}
