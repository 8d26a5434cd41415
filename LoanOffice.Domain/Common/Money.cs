using System.Globalization;

namespace LoanOffice.Domain.Common;

/// <summary>The one place that decides how money is rounded and shown: 元, half away from zero, to the fen.</summary>
public static class MoneyRules
{
    public static decimal RoundToFen(decimal amount) => Math.Round(amount, 2, MidpointRounding.AwayFromZero);

    /// <summary>¥1,234.56 (negative amounts as -¥1,234.56).</summary>
    public static string FormatCny(decimal amount)
    {
        var rounded = RoundToFen(amount);
        var text = Math.Abs(rounded).ToString("#,##0.00", CultureInfo.InvariantCulture);
        return rounded < 0 ? "-¥" + text : "¥" + text;
    }

    private const string Digits = "零壹贰叁肆伍陆柒捌玖";
    private static readonly string[] Units = ["", "拾", "佰", "仟"];
    private static readonly string[] Sections = ["", "万", "亿", "万亿"];

    /// <summary>
    /// The amount in Chinese capital numerals as contracts and IOUs write it (大写金额): 100,000.00 → 壹拾万元整,
    /// 1,050.50 → 壹仟零伍拾元伍角, 12,000.08 → 壹万贰仟元零捌分. Non-negative amounts below 10^16.
    /// </summary>
    public static string ToChineseCapital(decimal amount)
    {
        var fen = (long)(RoundToFen(amount) * 100m);
        if (fen < 0) throw new ArgumentOutOfRangeException(nameof(amount), "A capital amount is never negative.");
        var yuan = fen / 100;
        var (jiao, cents) = ((int)(fen / 10 % 10), (int)(fen % 10));
        var text = new System.Text.StringBuilder();
        if (yuan > 0)
        {
            var groups = new List<int>();
            for (var n = yuan; n > 0; n /= 10_000) groups.Add((int)(n % 10_000));
            var pendingZero = false;
            for (var g = groups.Count - 1; g >= 0; g--)
            {
                var group = groups[g];
                if (group == 0)
                {
                    pendingZero = text.Length > 0;
                    continue;
                }

                for (var position = 3; position >= 0; position--)
                {
                    var digit = group / (int)Math.Pow(10, position) % 10;
                    if (digit == 0)
                    {
                        pendingZero = pendingZero || text.Length > 0;
                        continue;
                    }

                    if (pendingZero) text.Append('零');
                    pendingZero = false;
                    text.Append(Digits[digit]).Append(Units[position]);
                }

                text.Append(Sections[g]);
                pendingZero = false; // a lower group's leading zeros say 零 themselves
            }

            text.Append('元');
        }

        if (jiao == 0 && cents == 0) return text.Length == 0 ? "零元整" : text.Append('整').ToString();
        if (jiao > 0) text.Append(Digits[jiao]).Append('角');
        else if (yuan > 0) text.Append('零');
        if (cents > 0) text.Append(Digits[cents]).Append('分');
        return text.ToString();
    }
}
