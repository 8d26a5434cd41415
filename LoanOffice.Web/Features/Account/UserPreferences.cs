using System.Text.Json;
using System.Text.Json.Serialization;
using LoanOffice.Data;
using LoanOffice.Data.Identity;
using LoanOffice.Web.Security;
using Microsoft.EntityFrameworkCore;

namespace LoanOffice.Web.Features.Account;

/// <summary>
/// The signed-in user's remembered screen settings (e.g. review-queue filters), stored per user in PostgreSQL so they
/// follow the user to another browser or app instance. A setting that no longer reads (changed shape) is ignored.
/// </summary>
public sealed class UserPreferences(CurrentUser currentUser, IDbContextFactory<LoanOfficeDbContext> dbFactory, TimeProvider clock)
{
    private static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter() } };

    public async Task<T?> GetAsync<T>(string key, CancellationToken ct = default) where T : class
    {
        if (await currentUser.GetIdAsync() is not { } userId) return null;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var json = await db.UserPreferences.AsNoTracking().Where(p => p.UserId == userId && p.Key == key).Select(p => p.Value).SingleOrDefaultAsync(ct);
        if (json is null) return null;
        try
        {
            return JsonSerializer.Deserialize<T>(json, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public async Task SetAsync<T>(string key, T value, CancellationToken ct = default)
    {
        if (await currentUser.GetIdAsync() is not { } userId) return;
        var json = JsonSerializer.Serialize(value, Json);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // one statement, safe when two tabs save at once
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"""
             INSERT INTO user_preferences ("UserId", "Key", "Value", "UpdatedAt") VALUES ({userId}, {key}, {json}::jsonb, {clock.GetUtcNow()})
             ON CONFLICT ("UserId", "Key") DO UPDATE SET "Value" = excluded."Value", "UpdatedAt" = excluded."UpdatedAt"
             """, ct);
    }
}
