namespace LoanOffice.Domain.Field;

/// <summary>A point of an officer's day as stored (WGS-84).</summary>
public sealed record TrackPoint(DateTimeOffset At, double Latitude, double Longitude, double Accuracy, PingSource Source, bool Mock);

/// <summary>A stop: the officer stayed within the radius from <see cref="From"/> to <see cref="To"/>, at the stop's first point.</summary>
public sealed record TrackStop(DateTimeOffset From, DateTimeOffset To, double Latitude, double Longitude)
{
    public TimeSpan Duration => To - From;
}

/// <summary>The reading of a day's track: the stops longer than a given time (the customers' visits show as stops).</summary>
public static class TrackAnalysis
{
    /// <summary>Metres between two WGS-84 points on the sphere (for stops; the distance travelled is PostGIS's, on the spheroid).</summary>
    public static double Metres(double lat1, double lon1, double lat2, double lon2)
    {
        const double r = 6_371_008.8;
        static double Rad(double d) => d * Math.PI / 180;
        var a = Math.Pow(Math.Sin(Rad(lat2 - lat1) / 2), 2) + Math.Cos(Rad(lat1)) * Math.Cos(Rad(lat2)) * Math.Pow(Math.Sin(Rad(lon2 - lon1) / 2), 2);
        return 2 * r * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }

    /// <summary>
    /// Runs of points (in time order) staying within <paramref name="radiusMetres"/> of the run's first point for at
    /// least <paramref name="minimum"/>.
    /// </summary>
    public static IReadOnlyList<TrackStop> Stops(IReadOnlyList<TrackPoint> points, double radiusMetres, TimeSpan minimum)
    {
        var stops = new List<TrackStop>();
        var start = 0;
        for (var i = 1; i <= points.Count; i++)
        {
            var leaves = i == points.Count || Metres(points[start].Latitude, points[start].Longitude, points[i].Latitude, points[i].Longitude) > radiusMetres;
            if (!leaves) continue;
            var last = points[i - 1];
            if (last.At - points[start].At >= minimum) stops.Add(new TrackStop(points[start].At, last.At, points[start].Latitude, points[start].Longitude));
            start = i;
        }

        return stops;
    }
}
