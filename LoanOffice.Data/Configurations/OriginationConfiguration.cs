using LoanOffice.Data.Identity;
using LoanOffice.Data.Origination;
using LoanOffice.Domain.Applications;
using LoanOffice.Domain.Organisation;
using Microsoft.EntityFrameworkCore;

namespace LoanOffice.Data.Configurations;

/// <summary>Origination tables. One method per aggregate keeps the mapping readable in one place.</summary>
internal static class OriginationConfiguration
{
    public static void Apply(ModelBuilder m)
    {
        m.Entity<ProductRecord>(b =>
        {
            b.ToTable("products");
            b.HasIndex(x => x.Code).IsUnique();
            b.Property(x => x.Code).HasMaxLength(30);
            b.Property(x => x.Name).HasMaxLength(100);
            b.Property(x => x.MinAnnualRate).HasPrecision(9, 6);
            b.Property(x => x.MaxAnnualRate).HasPrecision(9, 6);
            b.Property(x => x.PenaltyMarkup).HasPrecision(9, 6);
            b.Property(x => x.MinimumRuleSpread).HasPrecision(9, 6);
            b.Property(x => x.MedianRuleSpread).HasPrecision(9, 6);
            b.Property(x => x.Version).IsRowVersion();
        });
        m.Entity<DistrictRoute>(b =>
        {
            b.ToTable("district_routes");
            b.HasKey(x => x.District);
            b.Property(x => x.District).HasMaxLength(50);
            b.HasOne<Team>().WithMany().HasForeignKey(x => x.TeamId).OnDelete(DeleteBehavior.Restrict);
        });
        m.Entity<IntakeChannel>(b =>
        {
            b.ToTable("intake_channels");
            b.HasIndex(x => x.Code).IsUnique();
            b.HasIndex(x => x.KeyHash).IsUnique();
        });
        m.Entity<IdempotencyRecord>(b =>
        {
            b.ToTable("idempotency_keys");
            b.HasKey(x => new { x.Channel, x.Key });
            b.Property(x => x.Key).HasMaxLength(100);
        });
        m.Entity<Customer>(b =>
        {
            b.ToTable("customers");
            b.HasIndex(x => x.ResidentIdHash).IsUnique();
            b.HasIndex(x => x.MobileHash);
            b.Property(x => x.Name).HasMaxLength(100);
            b.Property(x => x.Address).HasMaxLength(200);
            b.Property(x => x.LocationSource).HasMaxLength(10);
            b.HasIndex(x => x.BankAccountHash);
            b.HasOne<Team>().WithMany().HasForeignKey(x => x.TeamId).OnDelete(DeleteBehavior.Restrict);
            b.Property(x => x.Version).IsRowVersion();
        });
        m.Entity<LoanApplication>(b =>
        {
            b.ToTable("applications");
            b.HasKey(x => x.Id);
            b.HasIndex(x => x.Number).IsUnique();
            b.Property(x => x.Number).HasMaxLength(30);
            b.Property(x => x.ApplicantName).HasMaxLength(100);
            b.Property(x => x.District).HasMaxLength(50);
            b.Property(x => x.Channel).HasMaxLength(30);
            b.Property(x => x.ProductCode).HasMaxLength(30);
            b.Property(x => x.Purpose).HasMaxLength(500);
            b.Property(x => x.ProposedRate).HasPrecision(9, 6);
            b.Property(x => x.ApprovedRate).HasPrecision(9, 6);
            b.Property(x => x.ClaimedByName).HasMaxLength(100);
            b.Property(x => x.Version).IsRowVersion();
            b.HasOne<Customer>().WithMany().HasForeignKey(x => x.CustomerId).OnDelete(DeleteBehavior.Restrict);
            b.HasOne<ProductRecord>().WithMany().HasForeignKey(x => x.ProductId).OnDelete(DeleteBehavior.Restrict);
            b.HasMany(x => x.Transitions).WithOne().HasForeignKey(t => t.ApplicationId).OnDelete(DeleteBehavior.Cascade);
            b.Navigation(x => x.Transitions).HasField("_transitions").UsePropertyAccessMode(PropertyAccessMode.Field);
            // queue and pool indexes: (state, state_since) for the review queue, team pools, officers' tasks
            b.HasIndex(x => new { x.State, x.StateSince });
            b.HasIndex(x => new { x.TeamId, x.State, x.StateSince });
            b.HasIndex(x => new { x.AssignedOfficerId, x.State });
            b.HasIndex(x => new { x.State, x.ProductCode, x.StateSince });
            b.HasIndex(x => new { x.State, x.RequestedAmount });
            // The review queue (Submitted + PreliminaryReview, a few per cent of all files) in each order the page
            // offers: partial indexes give the first page by an ordered index scan and the count by an index-only scan.
            const string queue = "\"State\" IN ('Submitted', 'PreliminaryReview')";
            b.HasIndex(x => new { x.StateSince, x.Id }).HasFilter(queue).HasDatabaseName("ix_applications_queue_age")
                .IncludeProperties(x => new { x.State, x.RequestedAmount, x.TeamId, x.ProductCode }); // covers every count
            b.HasIndex(x => new { x.RequestedAmount, x.Id }).HasFilter(queue).HasDatabaseName("ix_applications_queue_amount");
            b.HasIndex(x => new { x.ReceivedAt, x.Id }).HasFilter(queue).HasDatabaseName("ix_applications_queue_received");
            b.HasIndex(x => new { x.TeamId, x.StateSince, x.Id }).HasFilter(queue).HasDatabaseName("ix_applications_queue_team_age");
            b.HasIndex(x => new { x.ProductCode, x.StateSince, x.Id }).HasFilter(queue).HasDatabaseName("ix_applications_queue_product_age");
        });
        m.Entity<ApplicationTransition>(b =>
        {
            b.ToTable("application_transitions");
            b.HasKey(x => x.Id);
            // set by the domain; added through the application's collection, so EF must not take it for an existing row
            b.Property(x => x.Id).ValueGeneratedNever();
            b.Property(x => x.Name).HasMaxLength(40);
            b.Property(x => x.ActorName).HasMaxLength(200);
            b.Property(x => x.ActorIp).HasMaxLength(64);
            b.Property(x => x.Comment).HasMaxLength(2000);
            b.HasIndex(x => new { x.ApplicationId, x.At });
        });
        m.Entity<ApplicationDocument>(b =>
        {
            b.ToTable("application_documents");
            b.Property(x => x.DocumentType).HasMaxLength(50);
            b.Property(x => x.FileName).HasMaxLength(255);
            b.Property(x => x.ContentType).HasMaxLength(100);
            b.Property(x => x.Sha256).HasMaxLength(64);
            b.HasIndex(x => x.ApplicationId);
            b.HasOne<LoanApplication>().WithMany().HasForeignKey(x => x.ApplicationId).OnDelete(DeleteBehavior.Cascade);
        });
        m.Entity<ApplicationDocumentContent>(b =>
        {
            b.ToTable("application_document_contents");
            b.HasKey(x => x.DocumentId);
            b.HasOne<ApplicationDocument>().WithOne().HasForeignKey<ApplicationDocumentContent>(x => x.DocumentId).OnDelete(DeleteBehavior.Cascade);
        });
        m.Entity<ApprovalVoteRecord>(b =>
        {
            b.ToTable("approval_votes");
            b.HasIndex(x => new { x.ApplicationId, x.Round, x.ApproverId }).IsUnique();
            b.HasIndex(x => x.ApproverId);
            b.Property(x => x.ApproverName).HasMaxLength(100);
            b.Property(x => x.Comment).HasMaxLength(2000);
            b.HasOne<LoanApplication>().WithMany().HasForeignKey(x => x.ApplicationId).OnDelete(DeleteBehavior.Cascade);
            b.HasOne<AppUser>().WithMany().HasForeignKey(x => x.ApproverId).OnDelete(DeleteBehavior.Restrict);
        });
        m.Entity<ClaimHeartbeat>(b =>
        {
            b.ToTable("claim_heartbeats");
            b.HasKey(x => x.ApplicationId);
            b.HasOne<LoanApplication>().WithOne().HasForeignKey<ClaimHeartbeat>(x => x.ApplicationId).OnDelete(DeleteBehavior.Cascade);
        });
        m.Entity<ApprovalDecisionRecord>(b =>
        {
            b.ToTable("approval_decisions");
            b.Property(x => x.Basis).HasColumnType("jsonb");
            b.Property(x => x.SettledByName).HasMaxLength(100);
            b.HasIndex(x => new { x.ApplicationId, x.Round }).IsUnique();
            b.HasOne<LoanApplication>().WithMany().HasForeignKey(x => x.ApplicationId).OnDelete(DeleteBehavior.Cascade);
        });
        m.Entity<CommitteeMeeting>(b =>
        {
            b.ToTable("committee_meetings");
            b.HasIndex(x => new { x.TeamId, x.MeetingDate }).IsUnique();
            b.Property(x => x.Version).IsRowVersion();
            b.HasOne<Team>().WithMany().HasForeignKey(x => x.TeamId).OnDelete(DeleteBehavior.Restrict);
        });
        m.Entity<CommitteeAgendaItem>(b =>
        {
            b.ToTable("committee_agenda_items");
            b.HasIndex(x => new { x.MeetingId, x.ApplicationId }).IsUnique();
            b.Property(x => x.AnnualRate).HasPrecision(9, 6);
            b.Property(x => x.MemberVotes).HasColumnType("jsonb");
            b.HasOne<CommitteeMeeting>().WithMany().HasForeignKey(x => x.MeetingId).OnDelete(DeleteBehavior.Cascade);
            b.HasOne<LoanApplication>().WithMany().HasForeignKey(x => x.ApplicationId).OnDelete(DeleteBehavior.Restrict);
        });
        m.Entity<Contract>(b =>
        {
            b.ToTable("contracts");
            b.HasIndex(x => x.Number).IsUnique();
            b.HasIndex(x => x.ApplicationId).IsUnique();
            b.Property(x => x.AnnualRate).HasPrecision(9, 6);
            b.Property(x => x.TermsSnapshot).HasColumnType("jsonb");
            b.HasOne<LoanApplication>().WithMany().HasForeignKey(x => x.ApplicationId).OnDelete(DeleteBehavior.Restrict);
        });
        m.Entity<Loan>(b =>
        {
            b.ToTable("loans");
            b.HasIndex(x => x.Number).IsUnique();
            b.HasIndex(x => x.ApplicationId).IsUnique();
            b.HasIndex(x => x.BankReference).IsUnique();
            b.HasIndex(x => new { x.TeamId, x.Status });
            b.Property(x => x.AnnualRate).HasPrecision(9, 6);
            b.Property(x => x.TermsSnapshot).HasColumnType("jsonb");
            b.Property(x => x.Version).IsRowVersion();
            // filled in by the database from the application when the row is inserted (LoanPositions.sql), read-only for EF
            b.Property(x => x.ProductCode).HasMaxLength(30).HasDefaultValue("").ValueGeneratedOnAdd();
            b.Property(x => x.ProductCode).Metadata.SetBeforeSaveBehavior(Microsoft.EntityFrameworkCore.Metadata.PropertySaveBehavior.Ignore);
            b.Property(x => x.ProductCode).Metadata.SetAfterSaveBehavior(Microsoft.EntityFrameworkCore.Metadata.PropertySaveBehavior.Ignore);
            b.HasOne<Contract>().WithMany().HasForeignKey(x => x.ContractId).OnDelete(DeleteBehavior.Restrict);
            b.HasOne<Customer>().WithMany().HasForeignKey(x => x.CustomerId).OnDelete(DeleteBehavior.Restrict);
            b.HasMany(x => x.Installments).WithOne().HasForeignKey(i => i.LoanId).OnDelete(DeleteBehavior.Cascade);
        });
        m.Entity<LoanInstallment>(b =>
        {
            b.ToTable("loan_installments");
            b.HasKey(x => new { x.LoanId, x.Number });
        });
    }
}
