using LoanOffice.Data.Interceptors;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

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
        var connectionString = WithDefaults(configuration.GetConnectionString("Default") ?? DevelopmentConnection);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<AuditInterceptor>();
        services.AddSingleton<LoanPositionInterceptor>();
        // raw connections for set-based batch work (the close of business) and the field pings (PostGIS geography read
        // as NetTopologySuite points: X longitude, Y latitude, WGS-84)
        services.TryAddSingleton(_ => CreateDataSource(connectionString));
        services.AddDbContextFactory<LoanOfficeDbContext>((sp, options) => Configure(options, connectionString)
            .AddInterceptors(sp.GetRequiredService<LoanPositionInterceptor>(), sp.GetRequiredService<AuditInterceptor>()), ServiceLifetime.Scoped);
        return services;
    }

    /// <summary>The raw data source: Npgsql with its NetTopologySuite plugin (PostGIS types as NTS geometries).</summary>
    public static Npgsql.NpgsqlDataSource CreateDataSource(string connectionString)
    {
        var builder = new Npgsql.NpgsqlDataSourceBuilder(connectionString);
        builder.UseNetTopologySuite(geographyAsDefault: true);
        return builder.Build();
    }

    /// <summary>Prepared statements for the hot queries (parse/plan once per connection) unless the setting says otherwise.</summary>
    public static string WithDefaults(string connectionString)
    {
        var b = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (b.MaxAutoPrepare == 0) b.MaxAutoPrepare = 64;
        return b.ConnectionString;
    }

    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder options, string connectionString) =>
        options.UseNpgsql(connectionString, npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history"));
}
