using System.Security.Cryptography;
using System.Text;
using LoanOffice.Domain.Common;

namespace LoanOffice.Domain.Field;

/// <summary>Where a position came from, as the phone reports it.</summary>
public enum PingSource
{
    Gps,
    Wifi,
    Cell,
}

/// <summary>One location point from the officers' app: device time, WGS-84 position, accuracy (m), speed (m/s), source, the device's sequence number and the phone's mock-location flag.</summary>
public sealed record PingInput(long Sequence, DateTimeOffset At, double Latitude, double Longitude, double Accuracy, double? Speed, PingSource Source, bool Mock);

/// <summary>What the company allows of a point (configurable; defaults from the field-work requirement).</summary>
public sealed record PingLimits(double WorstAccuracyMetres = 500, int MaxBatch = 1_000)
{
    /// <summary>A device clock this far ahead of the server's is wrong: the point is refused.</summary>
    public static readonly TimeSpan FutureTolerance = TimeSpan.FromMinutes(2);
}

/// <summary>The field-work rules on a point (DOMAIN.md, "Field work"): each bad point is refused with its reason; the good ones of a batch are kept.</summary>
public static class PingRules
{
    /// <summary>The reason a point is refused, or null when it is good.</summary>
    public static Error? Check(PingInput p, DateTimeOffset now, PingLimits limits)
    {
        if (double.IsNaN(p.Latitude) || p.Latitude is < -90 or > 90) return Error.Of(ErrorCodes.FieldPingLatitude, -90, 90).At("latitude");
        if (double.IsNaN(p.Longitude) || p.Longitude is < -180 or > 180) return Error.Of(ErrorCodes.FieldPingLongitude, -180, 180).At("longitude");
        if (p.At > now + PingLimits.FutureTolerance) return Error.Of(ErrorCodes.FieldPingInFuture, (int)PingLimits.FutureTolerance.TotalMinutes).At("at");
        if (double.IsNaN(p.Accuracy) || p.Accuracy < 0) return Error.Of(ErrorCodes.FieldPingAccuracyInvalid).At("accuracy");
        if (p.Accuracy > limits.WorstAccuracyMetres) return Error.Of(ErrorCodes.FieldPingAccuracyWorse, limits.WorstAccuracyMetres).At("accuracy");
        if (p.Speed is { } s && (double.IsNaN(s) || s < 0)) return Error.Of(ErrorCodes.FieldPingSpeedInvalid).At("speed");
        if (p.Sequence < 0) return Error.Of(ErrorCodes.FieldPingSequenceInvalid).At("sequence");
        return null;
    }
}

/// <summary>
/// Signed client–server traffic for the officers' app: HMAC-SHA256, keyed with the device's secret, over the method,
/// the path (with its query), the Unix time in seconds and the SHA-256 of the body (lower-case hex), one per line.
/// A request is good for five minutes either side of the server's clock, and only once.
/// </summary>
public static class RequestSigning
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    public static string Canonical(string method, string pathAndQuery, long unixSeconds, ReadOnlySpan<byte> body) =>
        string.Join('\n', method.ToUpperInvariant(), pathAndQuery, unixSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Convert.ToHexStringLower(SHA256.HashData(body)));

    /// <summary>The signature of a canonical request, Base64.</summary>
    public static string Sign(ReadOnlySpan<byte> key, string canonical) =>
        Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(canonical)));

    /// <summary>Whether a signature is the request's (compared in constant time).</summary>
    public static bool Verify(ReadOnlySpan<byte> key, string canonical, string? signature)
    {
        if (string.IsNullOrEmpty(signature)) return false;
        Span<byte> given = stackalloc byte[64];
        if (!Convert.TryFromBase64String(signature, given, out var length) || length != 32) return false;
        Span<byte> expected = stackalloc byte[32];
        HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(canonical), expected);
        return CryptographicOperations.FixedTimeEquals(given[..length], expected);
    }

    /// <summary>Whether the request's time is within the window of the server's clock.</summary>
    public static bool InWindow(long unixSeconds, DateTimeOffset now) =>
        Math.Abs(now.ToUnixTimeSeconds() - unixSeconds) <= (long)Window.TotalSeconds;
}
