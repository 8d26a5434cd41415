using System.Globalization;
using LoanOffice.Domain.Loans;
using LoanOffice.Web.Features.Servicing;

namespace LoanOffice.Web.Features.Cockpit;

/// <summary>
/// The drill-downs: every cockpit figure links to the loans list narrowed to exactly the loans behind it, and the list
/// reads the same query back into a <see cref="LoanFilter"/> (one definition of the link both ways).
/// </summary>
public static class CockpitLinks
{
    /// <summary>The loans behind a figure: open loans in the cockpit's filter, narrowed by a row (team/officer) and a measure.</summary>
    public static string Loans(CockpitFilter filter, Guid? regionId = null, Guid? teamId = null, Guid? officerId = null,
        int? dpdFrom = null, IReadOnlyList<LoanClass>? classes = null, string? productCode = null, RepaymentMethod? method = null) =>
        Query(new LoanFilter(TeamId: teamId ?? filter.TeamId, OfficerId: officerId, DpdFrom: dpdFrom)
        {
            RegionId = regionId ?? filter.RegionId, ProductCode = productCode ?? filter.ProductCode, Classes = classes, OpenOnly = true,
            ExcludeExtended = !filter.IncludeExtended, Method = method,
        });

    /// <summary>PAR<i>n</i>'s loans: more than <i>n</i> days past due.</summary>
    public static int DpdFromForPar(int parDays) => parDays + 1;

    public static string Query(LoanFilter f)
    {
        var q = new List<string>();
        void Add(string name, object? value)
        {
            if (value is not null) q.Add(name + "=" + Uri.EscapeDataString(Convert.ToString(value, CultureInfo.InvariantCulture)!));
        }

        Add("region", f.RegionId);
        Add("team", f.TeamId);
        Add("officer", f.OfficerId);
        Add("product", f.ProductCode);
        Add("method", f.Method);
        Add("dpdFrom", f.DpdFrom);
        Add("classes", f.Classes is { Count: > 0 } c ? string.Join(',', c) : null);
        Add("open", f.OpenOnly ? "1" : null);
        Add("extended", f.ExcludeExtended ? "0" : null);
        return "/loans" + (q.Count == 0 ? "" : "?" + string.Join('&', q));
    }

    /// <summary>The list's filter from its query (anything unreadable is left out, never an error page).</summary>
    public static LoanFilter Parse(string? region, string? team, string? officer, string? product, string? method, string? dpdFrom, string? classes, string? open, string? extended) =>
        new(TeamId: Guid.TryParse(team, out var t) ? t : null, OfficerId: Guid.TryParse(officer, out var o) ? o : null,
            DpdFrom: int.TryParse(dpdFrom, NumberStyles.None, CultureInfo.InvariantCulture, out var d) ? d : null)
        {
            RegionId = Guid.TryParse(region, out var r) ? r : null,
            ProductCode = string.IsNullOrWhiteSpace(product) ? null : product.Trim(),
            Method = Enum.TryParse<RepaymentMethod>(method, out var m) && Enum.IsDefined(m) ? m : null,
            Classes = classes?.Split(',').Select(x => Enum.TryParse<LoanClass>(x, out var k) && Enum.IsDefined(k) ? (LoanClass?)k : null)
                .Where(k => k is not null).Select(k => k!.Value).ToList() is { Count: > 0 } list ? list : null,
            OpenOnly = open == "1",
            ExcludeExtended = extended == "0",
        };

    public static bool IsDrillDown(LoanFilter f) =>
        f.RegionId is not null || f.TeamId is not null || f.OfficerId is not null || f.ProductCode is not null || f.Method is not null
        || f.DpdFrom is not null || f.Classes is not null || f.OpenOnly || f.ExcludeExtended;
}
