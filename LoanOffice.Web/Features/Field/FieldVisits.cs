using LoanOffice.Data.Field;
using LoanOffice.Domain.Common;
using LoanOffice.Domain.Field;
using LoanOffice.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace LoanOffice.Web.Features.Field;

/// <summary>
/// A visit as the officer reports it (app or web): for an application or a collection case, when, where the app says
/// the officer was, the photo's own position and time, and whether this visit should set the customer's location
/// (when none is known yet).
/// </summary>
public sealed record VisitReport(VisitKind Kind, Guid? ApplicationId, Guid? CaseId, DateTimeOffset At, double? Latitude = null, double? Longitude = null,
    double? PhotoLatitude = null, double? PhotoLongitude = null, DateTimeOffset? PhotoAt = null, bool SetCustomerLocation = false, string? Note = null);

/// <summary>A visit as the application and the collection case show it.</summary>
public sealed record VisitRow(Guid Id, Guid OfficerId, string Officer, VisitKind Kind, DateTimeOffset At, bool Verified, double? NearestMetres, VisitBasis Basis,
    double RadiusMetres, string? Note);

/// <summary>
/// Visits "at the customer" verified against the officer's track or the photo's position (<see cref="VisitRules"/>):
/// the customer's location comes from the first visit's photo or from the officer; each visit stores its verdict
/// (verified within the radius, or unverified with how near the officer came).
/// </summary>
public sealed class FieldVisits(ActorContext context, NpgsqlDataSource dataSource, IOptions<FieldOptions> options)
{
    public const int NoteMaxLength = 500;

    /// <summary>Records the signed-in officer's visit to the customer of one of their tasks.</summary>
    public async Task<Result<VisitRow>> RecordAsync(VisitReport report, Guid? documentId = null, Guid? actionId = null, CancellationToken ct = default)
    {
        if (await context.ActorAsync(ct) is not { } actor) return ActorContext.NotSignedIn;
        if (report.ApplicationId is null == report.CaseId is null) return Error.Of(ErrorCodes.VisitTaskRequired).At("applicationId");
        if (report.Note is { Length: > NoteMaxLength }) return Error.Of(ErrorCodes.VisitNoteLength, NoteMaxLength).At("note");
        var at = report.At.ToUniversalTime();
        if (at > context.Now + PingLimits.FutureTolerance) return Error.Of(ErrorCodes.FieldPingInFuture, (int)PingLimits.FutureTolerance.TotalMinutes).At("at");
        foreach (var (lat, lon, field) in new[] { (report.Latitude, report.Longitude, "latitude"), (report.PhotoLatitude, report.PhotoLongitude, "photoLatitude") })
        {
            if (lat is null != lon is null) return Error.Of(ErrorCodes.Validation).At(field);
            if (lat is { } a && lon is { } o && PingRules.Check(new PingInput(0, at, a, o, 0, null, PingSource.Gps, false), context.Now, new PingLimits()) is { } bad)
                return bad with { Field = field };
        }

        await using var db = await context.OpenAsync(ct);
        Guid customerId;
        if (report.ApplicationId is { } appId)
        {
            var app = await db.Applications.AsNoTracking().Where(a => a.Id == appId).Select(a => new { a.CustomerId, a.AssignedOfficerId }).SingleOrDefaultAsync(ct);
            if (app is null) return Error.Of(ErrorCodes.NotFound);
            if (app.AssignedOfficerId != actor.UserId) return Error.Of(ErrorCodes.VisitTaskNotYours);
            customerId = app.CustomerId;
        }
        else
        {
            var task = await (from c in db.CollectionCases.AsNoTracking()
                              join l in db.Loans on c.LoanId equals l.Id
                              where c.Id == report.CaseId
                              select new { l.CustomerId, c.OfficerId }).SingleOrDefaultAsync(ct);
            if (task is null) return Error.Of(ErrorCodes.NotFound);
            if (task.OfficerId != actor.UserId) return Error.Of(ErrorCodes.VisitTaskNotYours);
            customerId = task.CustomerId;
        }

        var customer = await db.Customers.SingleAsync(c => c.Id == customerId, ct);
        if (customer.Latitude is null)
        {
            // the customer's location: from the first visit's photo, or where the officer says the customer is
            if (report.PhotoLatitude is { } pa && report.PhotoLongitude is { } po) (customer.Latitude, customer.Longitude, customer.LocationSource) = (pa, po, "photo");
            else if (report.SetCustomerLocation && report.Latitude is { } la && report.Longitude is { } lo) (customer.Latitude, customer.Longitude, customer.LocationSource) = (la, lo, "officer");
            if (customer.Latitude is not null) customer.LocationSetAt = context.Now;
        }

        var policy = options.Value.VisitPolicy;
        var track = await TrackNearAsync(actor.UserId, at, TimeSpan.FromMinutes(policy.WindowMinutes), ct);
        var photo = report.PhotoLatitude is { } pl && report.PhotoLongitude is { } pn ? new GeoStamp((report.PhotoAt ?? at).ToUniversalTime(), pl, pn) : null;
        var home = customer.Latitude is { } cl && customer.Longitude is { } cn ? new GeoStamp(at, cl, cn) : null;
        var check = VisitRules.Verify(home, at, track, photo, policy);
        var visit = new FieldVisit
        {
            Id = Guid.CreateVersion7(), OfficerId = actor.UserId, CustomerId = customerId, Kind = report.Kind, ApplicationId = report.ApplicationId, CaseId = report.CaseId,
            DocumentId = documentId, ActionId = actionId, At = at, Latitude = report.Latitude, Longitude = report.Longitude,
            PhotoLatitude = report.PhotoLatitude, PhotoLongitude = report.PhotoLongitude, PhotoAt = photo?.At, Verified = check.Verified,
            NearestMetres = check.NearestMetres, Basis = check.Basis, RadiusMetres = policy.RadiusMetres, Note = string.IsNullOrWhiteSpace(report.Note) ? null : report.Note.Trim(),
            RecordedAt = context.Now,
        };
        db.FieldVisits.Add(visit);
        await db.SaveChangesAsync(ct);
        return new VisitRow(visit.Id, actor.UserId, actor.Name, visit.Kind, visit.At, visit.Verified, visit.NearestMetres, visit.Basis, visit.RadiusMetres, visit.Note);
    }

    /// <summary>The visits of an application (the page showing it has checked the reader's scope).</summary>
    public Task<IReadOnlyList<VisitRow>> ForApplicationAsync(Guid applicationId, CancellationToken ct = default) => ListAsync(v => v.ApplicationId == applicationId, ct);

    /// <summary>The visits of a collection case.</summary>
    public Task<IReadOnlyList<VisitRow>> ForCaseAsync(Guid caseId, CancellationToken ct = default) => ListAsync(v => v.CaseId == caseId, ct);

    private async Task<IReadOnlyList<VisitRow>> ListAsync(System.Linq.Expressions.Expression<Func<FieldVisit, bool>> which, CancellationToken ct)
    {
        await using var db = await context.OpenAsync(ct);
        return await (from v in db.FieldVisits.AsNoTracking().Where(which)
                      join u in db.Users on v.OfficerId equals u.Id
                      orderby v.At descending
                      select new VisitRow(v.Id, v.OfficerId, u.DisplayName, v.Kind, v.At, v.Verified, v.NearestMetres, v.Basis, v.RadiusMetres, v.Note)).ToListAsync(ct);
    }

    /// <summary>The officer's points within the window either side of a time (the "one officer, one day" index).</summary>
    private async Task<IReadOnlyList<TrackPoint>> TrackNearAsync(Guid officerId, DateTimeOffset at, TimeSpan window, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(LoanOffice.Data.Sql.FieldSql.TrackPoints);
        cmd.Parameters.AddWithValue("o", officerId);
        cmd.Parameters.AddWithValue("from", at - window);
        cmd.Parameters.AddWithValue("to", at + window);
        var points = new List<TrackPoint>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) points.Add(FieldTracks.ReadPoint(r));
        return points;
    }
}
