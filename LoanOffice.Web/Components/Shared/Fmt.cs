using System.Globalization;
using LoanOffice.Domain.Common;

namespace LoanOffice.Web.Components.Shared;

/// <summary>How the UI shows money, dates and times: ¥1,234.56, 2026-11-22, 14:05 in Asia/Shanghai.</summary>
public static class Fmt
{
    public static readonly TimeZoneInfo ChinaTime = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    public static string Cny(decimal amount) => MoneyRules.FormatCny(amount);

    public static DateTimeOffset ToChina(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, ChinaTime);

    /// <summary>Today's business date in China as a date picker holds it (never the server's own time zone).</summary>
    public static DateTime ChinaToday(TimeProvider? clock = null) => ToChina((clock ?? TimeProvider.System).GetUtcNow()).Date;

    /// <summary>The last business date that has ended (yesterday in China): the latest date the close may process.</summary>
    /// <summary>The calendar day in China of an instant (the business date things happen on).</summary>
    public static DateOnly ChinaDate(DateTimeOffset instant) => DateOnly.FromDateTime(ToChina(instant).Date);

    /// <summary>Today in China, as a date.</summary>
    public static DateOnly ChinaDate(TimeProvider clock) => ChinaDate(clock.GetUtcNow());

    public static DateOnly LastEndedBusinessDate(TimeProvider clock) => DateOnly.FromDateTime(ChinaToday(clock)).AddDays(-1);

    /// <summary>A file size for people: bytes below 1 KB, then KB and MB with one decimal.</summary>
    public static string FileSize(long bytes) => bytes switch
    {
        < 1024 => bytes.ToString(CultureInfo.InvariantCulture) + " B",
        < 1024 * 1024 => (bytes / 1024m).ToString("0.#", CultureInfo.InvariantCulture) + " KB",
        _ => (bytes / 1024m / 1024m).ToString("0.#", CultureInfo.InvariantCulture) + " MB",
    };

    /// <summary>A rate as people read it: 0.08 → "8.00 %" (two decimals, always).</summary>
    public static string Rate(decimal fraction) => (fraction * 100m).ToString("0.00", CultureInfo.InvariantCulture) + " %";

    /// <summary>A rate for a percent input field: 0.080000 → 8 (no trailing zeros, so the field never shows 8.000000).</summary>
    public static decimal PercentValue(decimal fraction) => decimal.Round(fraction * 100m, 4) / 1.0000000000000000000000000000m;

    public static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string DateTime(DateTimeOffset instant) =>
        ToChina(instant).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    public static string DateTimeSeconds(DateTimeOffset instant) =>
        ToChina(instant).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
