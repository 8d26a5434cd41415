using LoanOffice.Data.Origination;
using LoanOffice.Data.Servicing;
using Microsoft.EntityFrameworkCore;

namespace LoanOffice.Data.Configurations;

internal static class ServicingConfiguration
{
    public static void Apply(ModelBuilder m)
    {
        m.Entity<Loan>(b =>
        {
            b.Property(x => x.PenaltyMarkup).HasPrecision(9, 6);
            b.Property(x => x.PenaltyAnnualRate).HasPrecision(18, 10);
            b.Property(x => x.ManualClassReason).HasMaxLength(500);
            // the close picks the loans whose rest ends the night before (a night touches only the loans with work)
            b.HasIndex(x => x.RestsUntil).HasFilter("\"Status\" IN ('Active', 'Overdue')");
            b.HasIndex(x => new { x.Class, x.TeamId });
        });
        // covering: the cockpit's collections read what fell due in a period index-only (the close's reminders use the key)
        m.Entity<LoanInstallment>(b => b.HasIndex(x => x.DueDate).IncludeProperties(x => new { x.LoanId, x.Number, x.Principal, x.Interest }));
        m.Entity<LoanTransaction>(b =>
        {
            b.ToTable("loan_transactions");
            b.HasIndex(x => x.ExternalReference).IsUnique();
            b.HasIndex(x => new { x.LoanId, x.ValueDate });
            b.Property(x => x.ExternalReference).HasMaxLength(64);
            b.Property(x => x.Channel).HasMaxLength(40);
            b.Property(x => x.PostedByName).HasMaxLength(100);
            b.Property(x => x.ReversalReason).HasMaxLength(500);
            b.Property(x => x.Allocation).HasColumnType("jsonb");
            b.Property(x => x.StateAfter).HasColumnType("jsonb");
            b.Property(x => x.Version).IsRowVersion();
            b.HasOne<Loan>().WithMany().HasForeignKey(x => x.LoanId).OnDelete(DeleteBehavior.Restrict);
        });
        m.Entity<LoanAccrual>(b =>
        {
            b.ToTable("loan_accruals", t => t.HasCheckConstraint("ck_loan_accruals_amount", "\"Amount\" >= 0 AND \"Basis\" >= 0"));
            b.HasKey(x => new { x.LoanId, x.BusinessDate, x.Kind });
            b.Property(x => x.Amount).HasPrecision(18, 6);
            b.HasOne<Loan>().WithMany().HasForeignKey(x => x.LoanId).OnDelete(DeleteBehavior.Cascade);
        });
        // owned by PortfolioLoanStates.sql (table, triggers, writer): mapped for reading only
        m.Entity<PortfolioLoanState>(b =>
        {
            b.ToTable("portfolio_loan_states", t => t.ExcludeFromMigrations());
            b.HasKey(x => new { x.LoanId, x.ValidFrom });
            b.Property(x => x.LoanId).HasColumnName("loan_id");
            b.Property(x => x.ValidFrom).HasColumnName("valid_from");
            b.Property(x => x.ValidTo).HasColumnName("valid_to");
            b.Property(x => x.TeamId).HasColumnName("team_id");
            b.Property(x => x.OfficerId).HasColumnName("officer_id");
            b.Property(x => x.ProductCode).HasColumnName("product_code");
            b.Property(x => x.Method).HasColumnName("method");
            b.Property(x => x.Class).HasColumnName("class");
            b.Property(x => x.Extended).HasColumnName("extended");
            b.Property(x => x.Bucket).HasColumnName("bucket");
            b.Property(x => x.Dpd).HasColumnName("dpd");
            b.Property(x => x.PrincipalOutstanding).HasColumnName("principal_outstanding");
            b.Property(x => x.Overdue).HasColumnName("overdue");
        });
        m.Entity<LoanClassChange>(b =>
        {
            b.ToTable("loan_class_changes");
            b.HasIndex(x => new { x.LoanId, x.Id });
            b.Property(x => x.Actor).HasMaxLength(100);
            b.Property(x => x.Reason).HasMaxLength(500);
            b.HasOne<Loan>().WithMany().HasForeignKey(x => x.LoanId).OnDelete(DeleteBehavior.Cascade);
        });
        m.Entity<LoanScheduleVersion>(b =>
        {
            b.ToTable("loan_schedule_versions");
            b.HasIndex(x => x.LoanId);
            b.Property(x => x.Installments).HasColumnType("jsonb");
            b.HasOne<Loan>().WithMany().HasForeignKey(x => x.LoanId).OnDelete(DeleteBehavior.Cascade);
        });
        m.Entity<CobRun>(b =>
        {
            b.ToTable("cob_runs");
            b.HasIndex(x => new { x.BusinessDate, x.StartedAt });
            b.HasIndex(x => x.StartedAt);
            b.Property(x => x.Node).HasMaxLength(200);
            b.Property(x => x.TriggeredBy).HasMaxLength(100);
            b.HasIndex(x => x.RequestId);
        });
        m.Entity<BankMappingRecord>(b =>
        {
            b.ToTable("bank_mappings");
            b.HasIndex(x => x.Code).IsUnique();
            b.Property(x => x.Code).HasMaxLength(20);
            b.Property(x => x.Name).HasMaxLength(100);
            b.Property(x => x.Delimiter).HasMaxLength(2);
            b.Property(x => x.DateFormat).HasMaxLength(20);
        });
        m.Entity<BankLineRecord>(b =>
        {
            b.ToTable("bank_lines");
            b.HasIndex(x => new { x.BankCode, x.Reference }).IsUnique();
            b.HasIndex(x => x.Status);
            b.Property(x => x.Reference).HasMaxLength(64);
            b.Property(x => x.Memo).HasMaxLength(500);
            b.Property(x => x.BankCode).HasMaxLength(20);
            b.Property(x => x.FileName).HasMaxLength(255);
            b.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
        });
        m.Entity<CobRequest>(b =>
        {
            b.ToTable("cob_requests");
            b.Property(x => x.RequestedBy).HasMaxLength(100);
        });
        m.Entity<CobFailure>(b =>
        {
            b.ToTable("cob_failures");
            b.HasIndex(x => x.RunId);
            b.HasIndex(x => new { x.LoanId, x.BusinessDate });
            b.HasOne<CobRun>().WithMany().HasForeignKey(x => x.RunId).OnDelete(DeleteBehavior.Cascade);
        });
        m.Entity<Notification>(b =>
        {
            b.ToTable("notifications");
            b.HasIndex(x => x.DedupeKey).IsUnique();
            b.HasIndex(x => x.NextAttemptAt).HasFilter("\"Status\" = 'Pending'");
            b.HasIndex(x => new { x.UserId, x.CreatedAt }).HasFilter("\"Channel\" = 'InApp'");
            b.Property(x => x.DedupeKey).HasMaxLength(200);
            b.Property(x => x.Kind).HasMaxLength(40);
            b.Property(x => x.Body).HasMaxLength(1000);
        });
        m.Entity<CollectionCase>(b =>
        {
            b.ToTable("collection_cases");
            // at most one open case per loan
            b.HasIndex(x => x.LoanId).IsUnique().HasFilter("\"Status\" = 'Open'").HasDatabaseName("IX_collection_cases_open_loan");
            b.HasIndex(x => new { x.TeamId, x.Status });
            b.Property(x => x.Version).IsRowVersion();
            b.HasOne<Loan>().WithMany().HasForeignKey(x => x.LoanId).OnDelete(DeleteBehavior.Restrict);
        });
        m.Entity<CollectionAction>(b =>
        {
            b.ToTable("collection_actions");
            b.HasIndex(x => x.CaseId);
            b.Property(x => x.Note).HasMaxLength(1000);
            b.Property(x => x.ByName).HasMaxLength(100);
            b.HasOne<CollectionCase>().WithMany().HasForeignKey(x => x.CaseId).OnDelete(DeleteBehavior.Cascade);
        });
        m.Entity<LoanExtension>(b =>
        {
            b.ToTable("loan_extensions");
            b.HasIndex(x => x.LoanId).IsUnique().HasFilter("\"Status\" = 'Pending'").HasDatabaseName("IX_loan_extensions_pending_loan");
            b.Property(x => x.Reason).HasMaxLength(500);
            b.Property(x => x.Comment).HasMaxLength(500);
            b.Property(x => x.RequestedByName).HasMaxLength(100);
            b.Property(x => x.DecidedByName).HasMaxLength(100);
            b.Property(x => x.Version).IsRowVersion();
            b.HasOne<Loan>().WithMany().HasForeignKey(x => x.LoanId).OnDelete(DeleteBehavior.Restrict);
        });
    }
}
