using LoanOffice.Data.Auditing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LoanOffice.Data.Configurations;

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> b)
    {
        b.ToTable("audit_log");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasColumnName("id").UseIdentityAlwaysColumn();
        b.Property(x => x.Sequence).HasColumnName("seq");
        b.Property(x => x.OccurredAt).HasColumnName("occurred_at");
        b.Property(x => x.Actor).HasColumnName("actor").HasMaxLength(200);
        b.Property(x => x.ClientIp).HasColumnName("client_ip").HasMaxLength(64);
        b.Property(x => x.EntityType).HasColumnName("entity_type").HasMaxLength(100);
        b.Property(x => x.EntityKey).HasColumnName("entity_key").HasMaxLength(200);
        b.Property(x => x.Action).HasColumnName("action").HasMaxLength(20);
        b.Property(x => x.Changes).HasColumnName("changes").HasColumnType("text");
        b.Property(x => x.PreviousHash).HasColumnName("previous_hash").HasMaxLength(64);
        b.Property(x => x.Hash).HasColumnName("hash").HasMaxLength(64);
        // unsealed rows (seq 0) exist only inside their own transaction; sealed numbers are unique
        b.HasIndex(x => x.Sequence).IsUnique().HasFilter("seq > 0");
        b.HasIndex(x => new { x.EntityType, x.EntityKey });
        b.HasIndex(x => x.OccurredAt);
        b.HasIndex(x => x.Actor);
    }
}
