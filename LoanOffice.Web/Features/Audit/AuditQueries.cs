using LoanOffice.Data;
using LoanOffice.Web.Components.Shared;
using Microsoft.EntityFrameworkCore;

namespace LoanOffice.Web.Features.Audit;

public sealed record AuditRow(long Sequence, DateTimeOffset OccurredAt, string Actor, string? ClientIp, string EntityType,
    string EntityKey, string Action, string Changes, string Hash);

public sealed record AuditFilter(string? EntityType, string? EntityKey, string? Actor, DateOnly? From, DateOnly? To, string? Action = null, string? Ip = null);

/// <summary>The audit trail for Compliance and Admin (the page's policy allows only them).</summary>
public sealed class AuditQueries(IDbContextFactory<LoanOfficeDbContext> dbFactory)
{
    public async Task<PagedResult<AuditRow>> SearchAsync(AuditFilter filter, int page, int pageSize, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = Filter(db, filter);
        var total = await query.CountAsync(ct);
        var rows = await query.OrderByDescending(a => a.Sequence).Page(page, pageSize)
            .Select(a => new AuditRow(a.Sequence, a.OccurredAt, a.Actor, a.ClientIp, a.EntityType, a.EntityKey, a.Action, a.Changes, a.Hash))
            .ToListAsync(ct);
        return new PagedResult<AuditRow>(rows, total, page, pageSize);
    }

    private static IQueryable<Data.Auditing.AuditEntry> Filter(LoanOfficeDbContext db, AuditFilter filter)
    {
        var query = db.AuditEntries.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(filter.EntityType)) query = query.Where(a => a.EntityType == filter.EntityType);
        if (!string.IsNullOrWhiteSpace(filter.EntityKey)) query = query.Where(a => a.EntityKey == filter.EntityKey.Trim());
        if (Search.SearchQueries.Clean(filter.Actor) is { Length: > 0 } actor) query = query.Where(a => EF.Functions.ILike(a.Actor, Search.SearchQueries.LikeContains(actor)));
        if (!string.IsNullOrWhiteSpace(filter.Action)) query = query.Where(a => a.Action == filter.Action);
        if (!string.IsNullOrWhiteSpace(filter.Ip)) query = query.Where(a => a.ClientIp != null && a.ClientIp.StartsWith(filter.Ip.Trim()));
        if (filter.From is { } from) query = query.Where(a => a.OccurredAt >= StartOfChinaDay(from));
        if (filter.To is { } to) query = query.Where(a => a.OccurredAt < StartOfChinaDay(to.AddDays(1)));
        return query;
    }

    /// <summary>Every row the filter selects, newest first, streamed (exports never hold the trail in memory).</summary>
    public async IAsyncEnumerable<AuditRow> StreamAsync(AuditFilter filter, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await foreach (var a in Filter(db, filter).OrderByDescending(a => a.Sequence).AsAsyncEnumerable().WithCancellation(ct))
            yield return new AuditRow(a.Sequence, a.OccurredAt, a.Actor, a.ClientIp, a.EntityType, a.EntityKey, a.Action, a.Changes, a.Hash);
    }

    public async Task<IReadOnlyList<string>> EntityTypesAsync()
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        return await db.AuditEntries.AsNoTracking().Select(a => a.EntityType).Distinct().OrderBy(t => t).ToListAsync();
    }

    /// <summary>Business dates are Asia/Shanghai calendar days.</summary>
    public static DateTimeOffset StartOfChinaDay(DateOnly date)
    {
        var local = date.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, Fmt.ChinaTime.GetUtcOffset(local)).ToUniversalTime();
    }
}
