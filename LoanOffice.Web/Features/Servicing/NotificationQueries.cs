using LoanOffice.Web.Hosting;
using LoanOffice.Data;
using LoanOffice.Data.Servicing;
using LoanOffice.Domain.Common;
using LoanOffice.Domain.Organisation;
using LoanOffice.Web.Components.Shared;
using LoanOffice.Web.Features.Applications;
using LoanOffice.Web.Security;
using Microsoft.EntityFrameworkCore;

namespace LoanOffice.Web.Features.Servicing;

public sealed record InboxItem(Guid Id, string Kind, string Body, Guid? LoanId, DateTimeOffset CreatedAt, bool Read);

public sealed record DeadLetter(Guid Id, string Kind, string? LoanNumber, Guid? LoanId, int? Installment, string Body, int Attempts, string? LastError, DateTimeOffset CreatedAt);

public sealed record OutboxCounts(int Pending, int Sent, int Dead);

/// <summary>The staff's in-app notifications (the bell) and, for admins, the SMS outbox's dead letters.</summary>
public sealed class NotificationQueries(IDbContextFactory<LoanOfficeDbContext> dbFactory, CurrentUser me, ActorContext context, NotificationDispatcher dispatcher)
{
    private static IQueryable<Notification> Mine(LoanOfficeDbContext db, Guid userId) =>
        db.Notifications.AsNoTracking().Where(n => n.Channel == NotificationChannel.InApp && n.UserId == userId);

    public async Task<int> UnreadCountAsync(CancellationToken ct = default)
    {
        if (await me.GetIdAsync() is not { } id) return 0;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await Mine(db, id).CountAsync(n => n.ReadAt == null, ct);
    }

    public async Task<IReadOnlyList<InboxItem>> RecentAsync(int take = 10, CancellationToken ct = default)
    {
        if (await me.GetIdAsync() is not { } id) return [];
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await Mine(db, id).OrderBy(n => n.ReadAt != null).ThenByDescending(n => n.CreatedAt).Take(take)
            .Select(n => new InboxItem(n.Id, n.Kind, n.Body, n.LoanId, n.CreatedAt, n.ReadAt != null)).ToListAsync(ct);
    }

    /// <summary>Marks one of the user's notifications read, or all of them when <paramref name="id"/> is null.</summary>
    public async Task<int> MarkReadAsync(Guid? id, CancellationToken ct = default)
    {
        if (await me.GetIdAsync() is not { } userId) return 0;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = context.Now;
        return await db.Notifications
            .Where(n => n.Channel == NotificationChannel.InApp && n.UserId == userId && n.ReadAt == null && (id == null || n.Id == id))
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), ct);
    }

    public async Task<OutboxCounts> CountsAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var counts = await db.Notifications.AsNoTracking().Where(n => n.Channel == NotificationChannel.Sms)
            .GroupBy(n => n.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        int Of(NotificationStatus s) => counts.Where(c => c.Key == s).Select(c => c.Count).SingleOrDefault();
        return new OutboxCounts(Of(NotificationStatus.Pending), Of(NotificationStatus.Sent), Of(NotificationStatus.Dead));
    }

    public async Task<PagedResult<DeadLetter>> DeadLettersAsync(int page, int pageSize, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = from n in db.Notifications.AsNoTracking()
                    where n.Status == NotificationStatus.Dead
                    join l in db.Loans on n.LoanId equals l.Id into loans
                    from l in loans.DefaultIfEmpty()
                    orderby n.CreatedAt descending
                    select new DeadLetter(n.Id, n.Kind, l.Number, n.LoanId, n.InstallmentNumber, n.Body, n.Attempts, n.LastError, n.CreatedAt);
        var total = await query.CountAsync(ct);
        var items = await query.Page(page, pageSize).ToListAsync(ct);
        return new PagedResult<DeadLetter>(items, total, page, pageSize);
    }

    /// <summary>Admin only: a dead letter goes back into the queue and is sent by the next dispatch.</summary>
    public async Task<Result> RequeueAsync(Guid id, CancellationToken ct = default)
    {
        var actor = await context.ActorAsync(ct);
        if (actor is null) return ActorContext.NotSignedIn;
        if (!actor.Roles.Contains(Roles.Admin)) return Error.Of(ErrorCodes.NotificationAdminOnly);
        return await dispatcher.RequeueAsync(id, ct)
            ? Result.Success()
            : Error.Of(ErrorCodes.NotificationNotDead);
    }
}
