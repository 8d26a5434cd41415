using System.Text.Json;
using LoanOffice.Data.Auditing;
using LoanOffice.Data.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace LoanOffice.Data.Interceptors;

/// <summary>
/// Writes one audit row per changed entity in the same SaveChanges (so the same transaction) as the change.
/// The chain fields are filled in by the database trigger.
/// </summary>
public sealed class AuditInterceptor(TimeProvider clock) : SaveChangesInterceptor
{
    private static readonly HashSet<string> Masked = new(StringComparer.Ordinal)
    {
        nameof(AppUser.PasswordHash), nameof(AppUser.SecurityStamp), nameof(AppUser.ConcurrencyStamp),
    };

    private static readonly JsonSerializerOptions Json = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        AddAuditRows(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData,
        InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        AddAuditRows(eventData.Context);
        return ValueTask.FromResult(result);
    }

    private void AddAuditRows(DbContext? context)
    {
        if (context is not LoanOfficeDbContext db) return;
        db.ChangeTracker.DetectChanges();
        var now = clock.GetUtcNow();
        var rows = new List<AuditEntry>();
        foreach (var entry in db.ChangeTracker.Entries())
        {
            if (entry.Entity is AuditEntry or INotAudited) continue;
            if (entry.Entity is IdentityUserToken<Guid> or IdentityUserLogin<Guid>) continue;
            var action = entry.State switch
            {
                EntityState.Added => "Created",
                EntityState.Modified => "Updated",
                EntityState.Deleted => "Deleted",
                _ => null,
            };
            if (action is null) continue;
            var changes = DescribeChanges(entry);
            // Identity rotates ConcurrencyStamp on every save: a change of nothing else tells a reader nothing.
            if (entry.State == EntityState.Modified && changes.Keys.All(k => k == nameof(AppUser.ConcurrencyStamp))) continue;
            rows.Add(new AuditEntry
            {
                OccurredAt = now,
                Actor = db.AuditContext.Actor,
                ClientIp = db.AuditContext.ClientIp,
                EntityType = EntityTypeName(entry),
                EntityKey = KeyOf(entry),
                Action = action,
                Changes = JsonSerializer.Serialize(changes, Json),
            });
        }

        db.AuditEntries.AddRange(rows);
    }

    public static string EntityTypeName(EntityEntry entry) => entry.Entity switch
    {
        AppUser => "User",
        AppRole => "Role",
        IdentityUserRole<Guid> => "UserRole",
        IdentityUserClaim<Guid> => "UserClaim",
        IdentityRoleClaim<Guid> => "RoleClaim",
        _ => entry.Metadata.ClrType.Name,
    };

    private static string KeyOf(EntityEntry entry)
    {
        var key = entry.Metadata.FindPrimaryKey();
        if (key is null) return string.Empty;
        return string.Join(",", key.Properties.Select(p => Convert.ToString(entry.Property(p.Name).CurrentValue,
            System.Globalization.CultureInfo.InvariantCulture)));
    }

    private static Dictionary<string, Dictionary<string, object?>> DescribeChanges(EntityEntry entry)
    {
        var result = new Dictionary<string, Dictionary<string, object?>>(StringComparer.Ordinal);
        foreach (var property in entry.Properties)
        {
            var name = property.Metadata.Name;
            if (name == "Version") continue; // xmin, maintained by PostgreSQL
            var before = entry.State == EntityState.Added ? null : property.OriginalValue;
            var after = entry.State == EntityState.Deleted ? null : property.CurrentValue;
            if (entry.State == EntityState.Modified && (!property.IsModified || Equals(before, after))) continue;
            if (entry.State != EntityState.Modified && before is null && after is null) continue;
            var masked = Masked.Contains(name);
            var change = new Dictionary<string, object?>(StringComparer.Ordinal);
            if (entry.State != EntityState.Added) change["before"] = masked ? "***" : Plain(before);
            if (entry.State != EntityState.Deleted) change["after"] = masked ? "***" : Plain(after);
            result[name] = change;
        }

        return result;
    }

    private static object? Plain(object? value) => value is Enum e ? e.ToString() : value;
}
