namespace LoanOffice.Domain.Field;

/// <summary>The datum a map's tiles are drawn in: positions are stored as WGS-84 and shifted for GCJ-02 tiles (most Chinese tile servers).</summary>
public enum MapDatum
{
    Wgs84,
    Gcj02,
}

/// <summary>
/// WGS-84 → GCJ-02 (the "Mars" offset of Chinese maps), by the published approximation on the Krasovsky ellipsoid;
/// outside mainland China the offset is not applied. Only for drawing: every stored position stays WGS-84.
/// </summary>
public static class Gcj02
{
    private const double A = 6_378_245.0;
    private const double Ee = 0.00669342162296594323;

    public static (double Latitude, double Longitude) FromWgs84(double latitude, double longitude)
    {
        if (OutsideChina(latitude, longitude)) return (latitude, longitude);
        var dLat = Latitude(longitude - 105.0, latitude - 35.0);
        var dLon = Longitude(longitude - 105.0, latitude - 35.0);
        var radLat = latitude / 180.0 * Math.PI;
        var magic = Math.Sin(radLat);
        magic = 1 - Ee * magic * magic;
        var sqrtMagic = Math.Sqrt(magic);
        dLat = dLat * 180.0 / (A * (1 - Ee) / (magic * sqrtMagic) * Math.PI);
        dLon = dLon * 180.0 / (A / sqrtMagic * Math.Cos(radLat) * Math.PI);
        return (latitude + dLat, longitude + dLon);
    }

    /// <summary>The position to draw on tiles of <paramref name="datum"/>.</summary>
    public static (double Latitude, double Longitude) ForMap(double latitude, double longitude, MapDatum datum) =>
        datum == MapDatum.Gcj02 ? FromWgs84(latitude, longitude) : (latitude, longitude);

    private static bool OutsideChina(double lat, double lon) => lon is < 72.004 or > 137.8347 || lat is < 0.8293 or > 55.8271;

    private static double Latitude(double x, double y)
    {
        var r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.Sqrt(Math.Abs(x));
        r += (20.0 * Math.Sin(6.0 * x * Math.PI) + 20.0 * Math.Sin(2.0 * x * Math.PI)) * 2.0 / 3.0;
        r += (20.0 * Math.Sin(y * Math.PI) + 40.0 * Math.Sin(y / 3.0 * Math.PI)) * 2.0 / 3.0;
        r += (160.0 * Math.Sin(y / 12.0 * Math.PI) + 320 * Math.Sin(y * Math.PI / 30.0)) * 2.0 / 3.0;
        return r;
    }

    private static double Longitude(double x, double y)
    {
        var r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.Sqrt(Math.Abs(x));
        r += (20.0 * Math.Sin(6.0 * x * Math.PI) + 20.0 * Math.Sin(2.0 * x * Math.PI)) * 2.0 / 3.0;
        r += (20.0 * Math.Sin(x * Math.PI) + 40.0 * Math.Sin(x / 3.0 * Math.PI)) * 2.0 / 3.0;
        r += (150.0 * Math.Sin(x / 12.0 * Math.PI) + 300.0 * Math.Sin(x / 30.0 * Math.PI)) * 2.0 / 3.0;
        return r;
    }
}
