using System.Globalization;
using LoanOffice.Domain.Common;

namespace LoanOffice.Web.Components.Shared;

/// <summary>How the UI shows money, dates and times: ¥1,234.56, 2026-11-22, 14:05 in Asia/Shanghai.</summary>
public static class Fmt
{
    public static readonly TimeZoneInfo ChinaTime = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    public static string Cny(decimal amount) => MoneyRules.FormatCny(amount);

    public static DateTimeOffset ToChina(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, ChinaTime);

    public static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string DateTime(DateTimeOffset instant) =>
        ToChina(instant).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    public static string DateTimeSeconds(DateTimeOffset instant) =>
        ToChina(instant).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
