namespace LoanOffice.Web.Features.Servicing;

public static class ServicingSetup
{
    /// <summary>What the close of business needs (the web app and the <c>cob</c> verb alike).</summary>
    public static IServiceCollection AddCloseOfBusiness(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<CloseOptions>(configuration.GetSection("Close"));
        services.AddSingleton<CloseOfBusiness>();
        return services;
    }

    public static IServiceCollection AddLoanOfficeServicing(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddCloseOfBusiness(configuration);
        services.Configure<SmsOptions>(configuration.GetSection("Sms"));
        services.AddHttpClient(NotificationDispatcher.HttpClientName);
        services.AddSingleton<NotificationDispatcher>();
        services.AddScoped<LoanServicing>();
        services.AddScoped<LoanQueries>();
        services.AddScoped<Cockpit.PortfolioDashboard>();
        services.AddScoped<Cockpit.PipelineDashboard>();
        services.AddScoped<Cockpit.SnapshotBackfill>();
        services.Configure<Cockpit.PipelineOptions>(configuration.GetSection("Cockpit"));
        services.AddScoped<JobsQueries>();
        services.AddScoped<NotificationQueries>();
        services.AddScoped<LoanRiskService>();
        services.AddScoped<CollectionsService>();
        services.AddScoped<Import.ImportService>();
        services.AddScoped<BankFileService>();
        return services;
    }
}
