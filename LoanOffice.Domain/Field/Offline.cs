namespace LoanOffice.Domain.Field;

/// <summary>What the phone last said before it went quiet.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<SilenceReason>))]
public enum SilenceReason
{
    /// <summary>The app still beats but sends no position: location switched off (or no fix).</summary>
    GpsOff,
    /// <summary>The last points came from a mock-location app.</summary>
    MockLocation,
    /// <summary>The last heartbeat reported no network.</summary>
    NetworkLost,
    /// <summary>Neither points nor heartbeats: the app was stopped (or the phone switched off).</summary>
    AppStopped,
}

/// <summary>How far an alert has gone: the officer's SMS, then the team lead's alert.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<AlertStage>))]
public enum AlertStage
{
    Officer,
    Lead,
}

/// <summary>
/// When a signed-in officer counts as silent (configurable): an SMS to the officer after
/// <see cref="OfficerMinutes"/> without a position, an alert to the team lead after <see cref="LeadMinutes"/> more;
/// only in the team's working hours (China time, on the working days).
/// </summary>
public sealed record OfflinePolicy(int OfficerMinutes, int LeadMinutes, TimeOnly WorkStart, TimeOnly WorkEnd, IReadOnlySet<DayOfWeek> WorkDays)
{
    public static readonly OfflinePolicy Default = new(10, 20, new TimeOnly(8, 30), new TimeOnly(18, 0),
        new HashSet<DayOfWeek> { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday });

    /// <summary>Whether an instant falls in working hours (China time).</summary>
    public bool InWorkingHours(DateTimeOffset at)
    {
        var local = at.ToOffset(TimeSpan.FromHours(8));
        var time = TimeOnly.FromDateTime(local.DateTime);
        return WorkDays.Contains(local.DayOfWeek) && time >= WorkStart && time < WorkEnd;
    }
}

/// <summary>What the server knows of a signed-in officer's phone: the working day, the last point, the last heartbeat.</summary>
public sealed record OfficerSignal(DateTimeOffset SignedInAt, DateTimeOffset? LastPointAt, bool LastPointMock, DateTimeOffset? HeartbeatAt, bool? GpsEnabled, string? Network);

/// <summary>A silence: since when (the last position of the day, or the sign-in), how far the alerts go, and why.</summary>
public sealed record Silence(DateTimeOffset Since, AlertStage Stage, SilenceReason Reason)
{
    /// <summary>One alert per stage and silence, however often (and on however many nodes) the check runs.</summary>
    public string DedupeKey(Guid officerId, AlertStage stage) =>
        $"field-offline:{stage}:{officerId:N}:{Since.UtcDateTime:yyyyMMddTHHmmss.fff}";

    public int Minutes(DateTimeOffset now) => (int)(now - Since).TotalMinutes;
}

/// <summary>The offline-alert rule (DOMAIN.md "Field work"; seed 004): silence is time without a position while signed in.</summary>
public static class OfflineRules
{
    /// <summary>Networks the app reports when it has none.</summary>
    private static readonly string[] NoNetwork = ["none", "offline", "无网络"];

    /// <summary>
    /// The silence to alert on now, or null: not silent long enough, on approved leave, or outside working hours
    /// (the caller passes only officers signed in — a signed-out officer is never tracked).
    /// </summary>
    public static Silence? Check(OfficerSignal s, DateTimeOffset now, OfflinePolicy policy, bool onLeave)
    {
        if (onLeave || !policy.InWorkingHours(now)) return null;
        var since = SilentSince(s);
        var silent = now - since;
        if (!IsSilent(s, now, policy.OfficerMinutes)) return null;
        var stage = silent >= TimeSpan.FromMinutes(policy.OfficerMinutes + policy.LeadMinutes) ? AlertStage.Lead : AlertStage.Officer;
        return new Silence(since, stage, Reason(s, since, now, policy));
    }

    /// <summary>The last position of the working day, or its sign-in when none came since.</summary>
    public static DateTimeOffset SilentSince(OfficerSignal s) => s.LastPointAt is { } p && p > s.SignedInAt ? p : s.SignedInAt;

    /// <summary>Silent: no position for the minutes (the map greys such an officer; the alerts start from here).</summary>
    public static bool IsSilent(OfficerSignal s, DateTimeOffset now, int minutes) => now - SilentSince(s) >= TimeSpan.FromMinutes(minutes);

    /// <summary>What the phone last reported: beating without positions is location off; otherwise its last word.</summary>
    public static SilenceReason Reason(OfficerSignal s, DateTimeOffset since, DateTimeOffset now, OfflinePolicy policy)
    {
        var beating = s.HeartbeatAt is { } h && h > since && now - h < TimeSpan.FromMinutes(policy.OfficerMinutes);
        if (beating) return SilenceReason.GpsOff;
        if (s.LastPointMock) return SilenceReason.MockLocation;
        if (s.Network is { } n && NoNetwork.Contains(n.Trim(), StringComparer.OrdinalIgnoreCase)) return SilenceReason.NetworkLost;
        if (s.GpsEnabled == false) return SilenceReason.GpsOff;
        return SilenceReason.AppStopped;
    }
}
