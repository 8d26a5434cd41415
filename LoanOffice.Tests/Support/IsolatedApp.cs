using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace LoanOffice.Tests.Support;

/// <summary>
/// The real app on a database of its own (a fresh copy of the seeded template, dropped afterwards) and on a
/// <see cref="FakeTimeProvider"/> standing at <see cref="Start"/>: a test class whose work spans the whole book (the
/// close, the compliance reports, notifications) sees only its own loans and a clock that does not move unless it
/// says so, and runs in parallel with every other class.
/// </summary>
public sealed class IsolatedApp : AppFactory, IAsyncLifetime
{
    /// <summary>2026-12-01 12:00 in China: every date the servicing tests use lies before it.</summary>
    public static readonly DateTimeOffset Start = new(2026, 12, 1, 4, 0, 0, TimeSpan.Zero);

    private string? _connection;

    /// <summary>Stands at <see cref="Start"/> and moves a millisecond on each reading, so events keep their order.</summary>
    public FakeTimeProvider Clock { get; } = new(Start) { AutoAdvanceAmount = TimeSpan.FromMilliseconds(1) };

    public override string DatabaseConnection => _connection ?? throw new InvalidOperationException("the database is made in InitializeAsync");

    public async Task InitializeAsync() => _connection = await TestDatabase.CreateIsolatedAsync("iso");

    /// <summary>
    /// Back to a fresh copy of the template (the clock only ever moves forward), for a class whose every test needs
    /// the whole book to itself (the close counts every loan it finds): the host's pools are emptied so no
    /// connection to the dropped copy is reused.
    /// </summary>
    public async Task ResetAsync()
    {
        Services.GetRequiredService<NpgsqlDataSource>().Clear();
        NpgsqlConnection.ClearAllPools();
        await TestDatabase.CopyTemplateAsync(DatabaseConnection);
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        if (_connection is not null) await TestDatabase.DropAsync(_connection);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }
}
