using LoanOffice.Domain.Common;
using LoanOffice.Domain.Field;
using Shouldly;

namespace LoanOffice.Tests.Field;

public class FieldRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 2, 0, 0, TimeSpan.Zero);

    private static PingInput Point(double lat = 30.27, double lon = 120.15, double accuracy = 10, int secondsAhead = 0, double? speed = 1, long seq = 1) =>
        new(seq, Now.AddSeconds(secondsAhead), lat, lon, accuracy, speed, PingSource.Gps, false);

    [Fact]
    public void EachBadPoint_HasItsReason()
    {
        var limits = new PingLimits(WorstAccuracyMetres: 200);
        PingRules.Check(Point(), Now, limits).ShouldBeNull();
        PingRules.Check(Point(lat: 90.0001), Now, limits)!.Code.ShouldBe(ErrorCodes.FieldPingLatitude);
        PingRules.Check(Point(lon: -180.5), Now, limits)!.Code.ShouldBe(ErrorCodes.FieldPingLongitude);
        PingRules.Check(Point(secondsAhead: 120), Now, limits).ShouldBeNull("two minutes ahead is still the phone's clock");
        PingRules.Check(Point(secondsAhead: 121), Now, limits)!.Code.ShouldBe(ErrorCodes.FieldPingInFuture);
        PingRules.Check(Point(accuracy: 200), Now, limits).ShouldBeNull();
        PingRules.Check(Point(accuracy: 200.5), Now, limits)!.Code.ShouldBe(ErrorCodes.FieldPingAccuracyWorse);
        PingRules.Check(Point(accuracy: -1), Now, limits)!.Code.ShouldBe(ErrorCodes.FieldPingAccuracyInvalid);
        PingRules.Check(Point(speed: -0.1), Now, limits)!.Code.ShouldBe(ErrorCodes.FieldPingSpeedInvalid);
        PingRules.Check(Point(seq: -1), Now, limits)!.Code.ShouldBe(ErrorCodes.FieldPingSequenceInvalid);
    }

    [Fact]
    public void ASignature_CoversMethodPathTimeAndBody_AndHoldsFiveMinutes()
    {
        var key = Convert.FromHexString("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
        var body = "{\"points\":[]}"u8.ToArray();
        var canonical = RequestSigning.Canonical("post", "/api/v1/field/pings", 1_764_640_800, body);
        canonical.ShouldBe("POST\n/api/v1/field/pings\n1764640800\n" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(body)).ToLowerInvariant());
        var signature = RequestSigning.Sign(key, canonical);
        RequestSigning.Verify(key, canonical, signature).ShouldBeTrue();
        RequestSigning.Verify(key, RequestSigning.Canonical("POST", "/api/v1/field/heartbeat", 1_764_640_800, body), signature).ShouldBeFalse("another path");
        RequestSigning.Verify(key, RequestSigning.Canonical("POST", "/api/v1/field/pings", 1_764_640_801, body), signature).ShouldBeFalse("another time");
        RequestSigning.Verify(key, RequestSigning.Canonical("POST", "/api/v1/field/pings", 1_764_640_800, "{}"u8.ToArray()), signature).ShouldBeFalse("another body");
        RequestSigning.Verify(key, canonical, "not base64!").ShouldBeFalse();
        RequestSigning.InWindow(Now.ToUnixTimeSeconds() - 300, Now).ShouldBeTrue();
        RequestSigning.InWindow(Now.ToUnixTimeSeconds() - 301, Now).ShouldBeFalse();
        RequestSigning.InWindow(Now.ToUnixTimeSeconds() + 301, Now).ShouldBeFalse();
    }

    [Fact]
    public void Gcj02_ShiftsPositionsInChinaOnly()
    {
        // 天安门: WGS-84 39.908722, 116.397499 is drawn at about 39.910125, 116.403741 on GCJ-02 tiles
        var (lat, lon) = Gcj02.FromWgs84(39.908722, 116.397499);
        lat.ShouldBe(39.910125, 0.00005);
        lon.ShouldBe(116.403741, 0.00005);
        Gcj02.FromWgs84(48.8584, 2.2945).ShouldBe((48.8584, 2.2945), "outside China: unchanged");
        Gcj02.ForMap(30.27, 120.15, MapDatum.Wgs84).ShouldBe((30.27, 120.15));
    }
}
