using LoanOffice.Data;
using LoanOffice.Data.Auditing;
using LoanOffice.Data.Identity;
using LoanOffice.Data.Seeding;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace LoanOffice.Tests.Support;

/// <summary>
/// The real PostgreSQL test database: dropped and re-created once per test run, migrated with the real migrations
/// and seeded with the demo company. Tests keep to their own rows (unique names), so they can run in parallel.
/// <c>./loanoffice test</c> starts a private cluster and sets LOANOFFICE_TEST_CONNECTION.
/// </summary>
public static class TestDatabase
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static bool _ready;

    public static string ConnectionString { get; } =
        Environment.GetEnvironmentVariable("LOANOFFICE_TEST_CONNECTION")
        ?? "Host=127.0.0.1;Port=55433;Database=loanoffice_test;Username=loanoffice;Password=loanoffice-dev";

    public static async Task EnsureReadyAsync()
    {
        if (_ready) return;
        await Gate.WaitAsync();
        try
        {
            if (_ready) return;
            await RecreateAsync(ConnectionString);
            await using var provider = BuildServices("test-setup");
            await using (var scope = provider.CreateAsyncScope())
            {
                await scope.ServiceProvider.GetRequiredService<LoanOfficeDbContext>().Database.MigrateAsync();
                await scope.ServiceProvider.GetRequiredService<DemoCompanySeeder>().SeedAsync();
            }

            _ready = true;
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>Drops and creates the database named in the connection string (connecting to 'postgres').</summary>
    public static async Task RecreateAsync(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var name = builder.Database!;
        builder.Database = "postgres";
        builder.Pooling = false;
        await using var conn = new NpgsqlConnection(builder.ConnectionString);
        await conn.OpenAsync();
        await using (var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", conn)) await drop.ExecuteNonQueryAsync();
        await using (var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", conn)) await create.ExecuteNonQueryAsync();
        NpgsqlConnection.ClearAllPools();
    }

    /// <summary>The data services the app uses (DbContext factory, Identity stores), with a system audit actor.</summary>
    public static ServiceProvider BuildServices(string actor, string? connectionString = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        var config = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Default"] = connectionString ?? ConnectionString })
            .Build();
        services.AddLoanOfficeData(config);
        services.AddLoanOfficeIdentityCore();
        services.AddScoped<IAuditContext>(_ => new SystemAuditContext(actor));
        services.AddScoped<DemoCompanySeeder>();
        return services.BuildServiceProvider();
    }

    public static async Task<LoanOfficeDbContext> OpenAsync(ServiceProvider services) =>
        await services.GetRequiredService<IDbContextFactory<LoanOfficeDbContext>>().CreateDbContextAsync();

    /// <summary>Creates a user with a unique name (tests that lock or change users never touch the demo users).</summary>
    public static async Task<AppUser> CreateUserAsync(ServiceProvider services, string prefix, string role, Guid? teamId, string password = "a-long-test-password")
    {
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = new AppUser
        {
            Id = Guid.CreateVersion7(),
            UserName = $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 50)],
            DisplayName = prefix,
            TeamId = teamId,
            CreatedAt = DateTimeOffset.UtcNow,
        };
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded) throw new InvalidOperationException(string.Join(";", created.Errors.Select(e => e.Description)));
        await users.AddToRoleAsync(user, role);
        return user;
    }

    public static async Task<Guid> TeamIdAsync(ServiceProvider services, string code)
    {
        await using var db = await OpenAsync(services);
        return await db.Teams.Where(t => t.Code == code).Select(t => t.Id).SingleAsync();
    }
}
