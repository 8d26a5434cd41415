namespace LoanOffice.Domain.Field;

/// <summary>What brought the officer to the customer.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<VisitKind>))]
public enum VisitKind
{
    /// <summary>上门调查 for an application.</summary>
    Investigation,
    /// <summary>上门催收 for a collection case.</summary>
    Collection,
    /// <summary>A document or photo taken for a task.</summary>
    Document,
}

/// <summary>What showed the officer was there: a point of the track, the photo's own position, or nothing.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<VisitBasis>))]
public enum VisitBasis
{
    None,
    Track,
    Photo,
}

/// <summary>A position at a time (a photo's EXIF, a visit's report).</summary>
public sealed record GeoStamp(DateTimeOffset At, double Latitude, double Longitude);

/// <summary>The verification radius around the customer (default 200 m) and how close in time a point must be.</summary>
public sealed record VisitPolicy(double RadiusMetres = 200, int WindowMinutes = 15);

/// <summary>The verdict on a visit: verified or not, the nearest the track (or photo) came to the customer, and on what basis.</summary>
public sealed record VisitCheck(bool Verified, double? NearestMetres, VisitBasis Basis);

/// <summary>
/// A visit "at the customer" is verified when the officer's track — or the photo's position — was within the radius
/// of the customer's location at that time (within the window either side); otherwise unverified. Points from a
/// mock-location app never verify anything. Without a location for the customer nothing can be verified.
/// </summary>
public static class VisitRules
{
    public static VisitCheck Verify(GeoStamp? customer, DateTimeOffset at, IReadOnlyList<TrackPoint> track, GeoStamp? photo, VisitPolicy policy)
    {
        if (customer is null) return new VisitCheck(false, null, VisitBasis.None);
        var window = TimeSpan.FromMinutes(policy.WindowMinutes);
        double? nearest = null;
        foreach (var p in track)
        {
            if (p.Mock || (p.At - at).Duration() > window) continue;
            var d = TrackAnalysis.Metres(customer.Latitude, customer.Longitude, p.Latitude, p.Longitude);
            if (nearest is null || d < nearest) nearest = d;
        }

        if (nearest is { } n && n <= policy.RadiusMetres) return new VisitCheck(true, Math.Round(n, 1), VisitBasis.Track);
        if (photo is not null && (photo.At - at).Duration() <= window)
        {
            var d = TrackAnalysis.Metres(customer.Latitude, customer.Longitude, photo.Latitude, photo.Longitude);
            if (d <= policy.RadiusMetres) return new VisitCheck(true, Math.Round(d, 1), VisitBasis.Photo);
            if (nearest is null || d < nearest) nearest = d;
        }

        return new VisitCheck(false, nearest is { } m ? Math.Round(m, 1) : null, VisitBasis.None);
    }
}
