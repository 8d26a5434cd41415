using LoanOffice.Data.Identity;
using LoanOffice.Domain.Organisation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LoanOffice.Data.Configurations;

internal sealed class RegionConfiguration : IEntityTypeConfiguration<Region>
{
    public void Configure(EntityTypeBuilder<Region> b)
    {
        b.ToTable("regions");
        b.HasKey(x => x.Id);
        b.Property(x => x.Code).HasMaxLength(20);
        b.Property(x => x.Name).HasMaxLength(100);
        b.Property(x => x.NameEn).HasMaxLength(100);
        b.HasIndex(x => x.Code).IsUnique();
        b.Property(x => x.Version).IsRowVersion();
    }
}

internal sealed class TeamConfiguration : IEntityTypeConfiguration<Team>
{
    public void Configure(EntityTypeBuilder<Team> b)
    {
        b.ToTable("teams");
        b.HasKey(x => x.Id);
        b.Property(x => x.Code).HasMaxLength(20);
        b.Property(x => x.Name).HasMaxLength(100);
        b.Property(x => x.NameEn).HasMaxLength(100);
        b.HasIndex(x => x.Code).IsUnique();
        b.HasOne<Region>().WithMany().HasForeignKey(x => x.RegionId).OnDelete(DeleteBehavior.Restrict);
        b.Property(x => x.Version).IsRowVersion();
    }
}

internal sealed class TeamApproverConfiguration : IEntityTypeConfiguration<TeamApprover>
{
    public void Configure(EntityTypeBuilder<TeamApprover> b)
    {
        b.ToTable("team_approvers");
        b.HasKey(x => new { x.TeamId, x.UserId });
        b.HasOne<Team>().WithMany().HasForeignKey(x => x.TeamId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<AppUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AppUserConfiguration : IEntityTypeConfiguration<AppUser>
{
    public void Configure(EntityTypeBuilder<AppUser> b)
    {
        b.Property(x => x.DisplayName).HasMaxLength(100);
        b.Property(x => x.PreferredCulture).HasMaxLength(10);
        b.HasOne<Team>().WithMany().HasForeignKey(x => x.TeamId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => x.TeamId);
    }
}

internal sealed class UserPreferenceConfiguration : IEntityTypeConfiguration<UserPreference>
{
    public void Configure(EntityTypeBuilder<UserPreference> b)
    {
        b.ToTable("user_preferences");
        b.HasKey(x => new { x.UserId, x.Key });
        b.Property(x => x.Key).HasMaxLength(100);
        b.Property(x => x.Value).HasColumnType("jsonb");
        b.HasOne<AppUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AccessTokenConfiguration : IEntityTypeConfiguration<AccessToken>
{
    public void Configure(EntityTypeBuilder<AccessToken> b)
    {
        b.ToTable("access_tokens");
        b.Property(x => x.Name).HasMaxLength(100);
        b.Property(x => x.Prefix).HasMaxLength(16);
        b.Property(x => x.CreatedBy).HasMaxLength(200);
        b.Property(x => x.RevokedBy).HasMaxLength(200);
        b.HasIndex(x => x.Hash).IsUnique();
        b.HasIndex(x => x.Name).IsUnique().HasFilter("\"RevokedAt\" IS NULL");
        b.HasIndex(x => x.UserId);
        b.HasOne<AppUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class FieldDeviceConfiguration : IEntityTypeConfiguration<Field.FieldDevice>
{
    public void Configure(EntityTypeBuilder<Field.FieldDevice> b)
    {
        b.ToTable("field_devices");
        b.Property(x => x.Name).HasMaxLength(100);
        b.Property(x => x.RevokedBy).HasMaxLength(100);
        b.Property(x => x.Version).IsRowVersion();
        b.HasIndex(x => x.UserId);
        b.HasOne<Identity.AppUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class FieldSessionConfiguration : IEntityTypeConfiguration<Field.FieldSession>
{
    public void Configure(EntityTypeBuilder<Field.FieldSession> b)
    {
        b.ToTable("field_sessions");
        b.Property(x => x.Version).IsRowVersion();
        // one open working day per officer
        b.HasIndex(x => x.UserId).IsUnique().HasFilter("\"SignedOutAt\" IS NULL").HasDatabaseName("ux_field_sessions_open");
        b.HasIndex(x => new { x.UserId, x.SignedInAt });
        b.HasOne<Field.FieldDevice>().WithMany().HasForeignKey(x => x.DeviceId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class FieldVisitConfiguration : IEntityTypeConfiguration<Field.FieldVisit>
{
    public void Configure(EntityTypeBuilder<Field.FieldVisit> b)
    {
        b.ToTable("field_visits");
        b.Property(x => x.Note).HasMaxLength(500);
        b.HasIndex(x => new { x.OfficerId, x.At });
        b.HasIndex(x => x.ApplicationId);
        b.HasIndex(x => x.CaseId);
        b.HasIndex(x => x.CustomerId);
        b.HasOne<Identity.AppUser>().WithMany().HasForeignKey(x => x.OfficerId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Origination.Customer>().WithMany().HasForeignKey(x => x.CustomerId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class LeaveRequestConfiguration : IEntityTypeConfiguration<Domain.Field.LeaveRequest>
{
    public void Configure(EntityTypeBuilder<Domain.Field.LeaveRequest> b)
    {
        b.ToTable("leave_requests");
        b.HasKey(x => x.Id);
        b.Ignore(x => x.Days);
        b.Ignore(x => x.IsLive);
        b.Property(x => x.Reason).HasMaxLength(Domain.Field.LeaveRequest.ReasonMaxLength);
        b.Property(x => x.DecisionNote).HasMaxLength(Domain.Field.LeaveRequest.ReasonMaxLength);
        b.Property(x => x.DecidedBy).HasMaxLength(200);
        b.Property(x => x.RequestedVia).HasMaxLength(10);
        b.Property(x => x.Version).IsRowVersion();
        b.HasIndex(x => new { x.OfficerId, x.From });
        b.HasIndex(x => new { x.TeamId, x.From });
        b.HasIndex(x => x.Status);
        b.HasOne<Identity.AppUser>().WithMany().HasForeignKey(x => x.OfficerId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Team>().WithMany().HasForeignKey(x => x.TeamId).OnDelete(DeleteBehavior.Restrict);
    }
}
