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
    public DbSet<Identity.UserPreference> UserPreferences => Set<Identity.UserPreference>();
    public DbSet<Identity.AccessToken> AccessTokens => Set<Identity.AccessToken>();
    public DbSet<Field.FieldDevice> FieldDevices => Set<Field.FieldDevice>();
    public DbSet<Field.FieldSession> FieldSessions => Set<Field.FieldSession>();
    public DbSet<Field.FieldVisit> FieldVisits => Set<Field.FieldVisit>();
    public DbSet<Domain.Field.LeaveRequest> LeaveRequests => Set<Domain.Field.LeaveRequest>();
    public DbSet<Origination.ProductRecord> Products => Set<Origination.ProductRecord>();
    public DbSet<Origination.DistrictRoute> DistrictRoutes => Set<Origination.DistrictRoute>();
    public DbSet<Origination.IntakeChannel> IntakeChannels => Set<Origination.IntakeChannel>();
    public DbSet<Origination.IdempotencyRecord> IdempotencyKeys => Set<Origination.IdempotencyRecord>();
    public DbSet<Origination.Customer> Customers => Set<Origination.Customer>();
    public DbSet<Domain.Applications.LoanApplication> Applications => Set<Domain.Applications.LoanApplication>();
    public DbSet<Domain.Applications.ApplicationTransition> ApplicationTransitions => Set<Domain.Applications.ApplicationTransition>();
    public DbSet<Origination.ApplicationDocument> ApplicationDocuments => Set<Origination.ApplicationDocument>();
    public DbSet<Origination.ApplicationDocumentContent> ApplicationDocumentContents => Set<Origination.ApplicationDocumentContent>();
    public DbSet<Origination.ApprovalVoteRecord> ApprovalVotes => Set<Origination.ApprovalVoteRecord>();
    public DbSet<Origination.ClaimHeartbeat> ClaimHeartbeats => Set<Origination.ClaimHeartbeat>();
    public DbSet<Origination.ApprovalDecisionRecord> ApprovalDecisions => Set<Origination.ApprovalDecisionRecord>();
    public DbSet<Origination.CommitteeMeeting> CommitteeMeetings => Set<Origination.CommitteeMeeting>();
    public DbSet<Origination.CommitteeAgendaItem> CommitteeAgendaItems => Set<Origination.CommitteeAgendaItem>();
    public DbSet<Origination.Contract> Contracts => Set<Origination.Contract>();
    public DbSet<Origination.Loan> Loans => Set<Origination.Loan>();
    public DbSet<Origination.LoanInstallment> LoanInstallments => Set<Origination.LoanInstallment>();
    public DbSet<Servicing.LoanTransaction> LoanTransactions => Set<Servicing.LoanTransaction>();
    public DbSet<Servicing.LoanAccrual> LoanAccruals => Set<Servicing.LoanAccrual>();
    public DbSet<Servicing.LoanClassChange> LoanClassChanges => Set<Servicing.LoanClassChange>();
    public DbSet<Servicing.PortfolioLoanState> PortfolioLoanStates => Set<Servicing.PortfolioLoanState>();
    public DbSet<Servicing.LoanScheduleVersion> LoanScheduleVersions => Set<Servicing.LoanScheduleVersion>();
    public DbSet<Servicing.CobRun> CobRuns => Set<Servicing.CobRun>();
    public DbSet<Servicing.CobRequest> CobRequests => Set<Servicing.CobRequest>();
    public DbSet<Servicing.BankMappingRecord> BankMappings => Set<Servicing.BankMappingRecord>();
    public DbSet<Servicing.BankLineRecord> BankLines => Set<Servicing.BankLineRecord>();
    public DbSet<Servicing.CobFailure> CobFailures => Set<Servicing.CobFailure>();
    public DbSet<Servicing.Notification> Notifications => Set<Servicing.Notification>();
    public DbSet<Servicing.CollectionCase> CollectionCases => Set<Servicing.CollectionCase>();
    public DbSet<Servicing.CollectionAction> CollectionActions => Set<Servicing.CollectionAction>();
    public DbSet<Servicing.LoanExtension> LoanExtensions => Set<Servicing.LoanExtension>();
    public DbSet<Reports.ApprovalReportRecord> ApprovalReports => Set<Reports.ApprovalReportRecord>();

    /// <summary>Application numbers are handed out by each app instance in blocks of this size (one nextval per block).</summary>
    public const int ApplicationNumberBlock = 50;

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(LoanOfficeDbContext).Assembly);
        Configurations.OriginationConfiguration.Apply(builder);
        Configurations.ServicingConfiguration.Apply(builder);
        Sql.LoanRulesSql.Map(builder);
        builder.HasSequence<long>("application_number_seq").IncrementsBy(ApplicationNumberBlock);
        builder.HasSequence<long>("contract_number_seq");
        builder.HasSequence<long>("loan_number_seq");
        builder.HasSequence<long>("approval_report_number_seq");
        builder.Entity<Reports.ApprovalReportRecord>(b =>
        {
            b.ToTable("approval_reports");
            b.HasIndex(x => x.Number).IsUnique();
            b.HasIndex(x => x.ApplicationId);
            b.Property(x => x.Number).HasMaxLength(32);
            b.Property(x => x.Hash).HasMaxLength(64);
            b.Property(x => x.GeneratedByName).HasMaxLength(200);
        });
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<decimal>().HavePrecision(18, 2);
        configurationBuilder.Properties<Enum>().HaveConversion<string>().HaveMaxLength(40);
    }
}
