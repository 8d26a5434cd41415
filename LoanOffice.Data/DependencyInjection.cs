using LoanOffice.Data.Interceptors;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LoanOffice.Data;

public static class DependencyInjection
{
    /// <summary>Default connection for the private development cluster that <c>./loanoffice run</c> starts.</summary>
    public const string DevelopmentConnection =
        "Host=127.0.0.1;Port=55432;Database=loanoffice;Username=loanoffice;Password=loanoffice-dev";

    /// <summary>
    /// Registers the DbContext factory (scoped, so each context can take the scope's audit actor) and the scoped
    /// context Identity needs.
    /// </summary>
    public static IServiceCollection AddLoanOfficeData(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString("Default") ?? DevelopmentConnection;
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<AuditInterceptor>();
        services.AddDbContextFactory<LoanOfficeDbContext>((sp, options) => Configure(options, connectionString)
            .AddInterceptors(sp.GetRequiredService<AuditInterceptor>()), ServiceLifetime.Scoped);
        return services;
    }

    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder options, string connectionString) =>
        options.UseNpgsql(connectionString, npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history"));
}
