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
/// The real PostgreSQL test databases. Once per run a template is dropped, re-created, migrated with the real
/// migrations and seeded with the demo company; the shared database (<see cref="ConnectionString"/>) and every
/// isolated one (<see cref="CreateIsolatedAsync"/>, a database per test class) are copies of it made by
/// <c>CREATE DATABASE … TEMPLATE</c>, which takes a fraction of a second. Tests on the shared database keep to their
/// own rows (unique names), so they can run in parallel; tests whose work spans the whole book (the close, the
/// compliance reports) get a database of their own. <c>./loanoffice test</c> starts a private cluster and sets
/// LOANOFFICE_TEST_CONNECTION.
/// </summary>
public static class TestDatabase
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static bool _ready;

    public static string ConnectionString { get; } =
        Environment.GetEnvironmentVariable("LOANOFFICE_TEST_CONNECTION")
        ?? "Host=127.0.0.1;Port=55433;Database=loanoffice_test;Username=loanoffice;Password=loanoffice-dev";

    private static string TemplateName => new NpgsqlConnectionStringBuilder(ConnectionString).Database + "_template";

    public static async Task EnsureReadyAsync()
    {
        if (_ready) return;
        await Gate.WaitAsync();
        try
        {
            if (_ready) return;
            var template = WithDatabase(ConnectionString, TemplateName);
            await RecreateAsync(template);
            await using (var provider = BuildServices("test-setup", template))
            await using (var scope = provider.CreateAsyncScope())
            {
                await scope.ServiceProvider.GetRequiredService<LoanOfficeDbContext>().Database.MigrateAsync();
                await scope.ServiceProvider.GetRequiredService<DemoCompanySeeder>().SeedAsync();
            }

            NpgsqlConnection.ClearAllPools(); // a template must have no connections while it is copied
            await CopyTemplateAsync(ConnectionString);
            _ready = true;
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>A fresh copy of the migrated, seeded template for one test class; drop it with <see cref="DropAsync"/>.</summary>
    public static async Task<string> CreateIsolatedAsync(string tag)
    {
        await EnsureReadyAsync();
        var name = $"{new NpgsqlConnectionStringBuilder(ConnectionString).Database}_{tag.ToLowerInvariant()}_{Guid.NewGuid():N}"[..40];
        var connectionString = WithDatabase(ConnectionString, name);
        await CopyTemplateAsync(connectionString);
        return connectionString;
    }

    public static async Task DropAsync(string connectionString)
    {
        await using var conn = await OpenMaintenanceAsync(connectionString);
        await DropOnAsync(conn, new NpgsqlConnectionStringBuilder(connectionString).Database!);
    }

    /// <summary>(Re)makes the database named in the connection string as a copy of the template.</summary>
    public static async Task CopyTemplateAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        await using var conn = await OpenMaintenanceAsync(connectionString);
        await DropOnAsync(conn, name);
        // copies from one template are serialized by PostgreSQL's lock on it; FILE_COPY is the fast way for a small database
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\" TEMPLATE \"{TemplateName}\" STRATEGY FILE_COPY", conn);
        await create.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Drops a database, ending its sessions. A session PostgreSQL itself runs on it for a moment (a background worker
    /// this role may not end) makes the drop fail now and then: it is tried again after a short pause.
    /// </summary>
    private static async Task DropOnAsync(NpgsqlConnection conn, string name)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", conn);
                await drop.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException e) when (attempt < 10 && e.SqlState is PostgresErrorCodes.InsufficientPrivilege or PostgresErrorCodes.ObjectInUse)
            {
                await Task.Delay(200 * attempt);
            }
        }
    }

    private static string WithDatabase(string connectionString, string database) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Database = database }.ConnectionString;

    private static async Task<NpgsqlConnection> OpenMaintenanceAsync(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false };
        var conn = new NpgsqlConnection(builder.ConnectionString);
        await conn.OpenAsync();
        return conn;
    }

    /// <summary>Drops and creates the database named in the connection string (connecting to 'postgres').</summary>
    public static async Task RecreateAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        await using (var conn = await OpenMaintenanceAsync(connectionString))
        {
            await DropOnAsync(conn, name);
            await using (var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", conn)) await create.ExecuteNonQueryAsync();
        }

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
