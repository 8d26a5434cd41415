using LoanOffice.Data.Auditing;
using LoanOffice.Data.Identity;
using LoanOffice.Domain.Organisation;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace LoanOffice.Data;

public sealed class LoanOfficeDbContext : IdentityDbContext<AppUser, AppRole, Guid>
{
    public LoanOfficeDbContext(DbContextOptions<LoanOfficeDbContext> options, IAuditContext? auditContext = null)
        : base(options)
    {
        AuditContext = auditContext ?? new SystemAuditContext("unknown");
    }

    /// <summary>The actor and client IP the audit interceptor records for this unit of work.</summary>
    public IAuditContext AuditContext { get; set; }

    public DbSet<Region> Regions => Set<Region>();
    public DbSet<Team> Teams => Set<Team>();
    public DbSet<TeamApprover> TeamApprovers => Set<TeamApprover>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(LoanOfficeDbContext).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<decimal>().HavePrecision(18, 2);
        configurationBuilder.Properties<Enum>().HaveConversion<string>().HaveMaxLength(40);
    }
}
