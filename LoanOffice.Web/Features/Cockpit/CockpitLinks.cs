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

    /// <summary>
    /// The files behind a pipeline figure (/applications): the open stages (or one), in the cockpit's region/team, of
    /// one officer, only those past their stage's SLA — files entered here, as the pipeline counts them.
    /// </summary>
    public static string Files(CockpitFilter filter, Domain.Applications.ApplicationState? state = null, Guid? officerId = null, bool pastSla = false,
        IReadOnlyList<Domain.Applications.ApplicationState>? states = null)
    {
        var q = new List<string>();
        var list = state is { } one ? [one] : states;
        if (list is { Count: > 0 }) q.Add("state=" + string.Join(',', list));
        if (filter.RegionId is { } r) q.Add("region=" + r);
        if (filter.TeamId is { } t) q.Add("team=" + t);
        if (officerId is { } o) q.Add("officer=" + o);
        if (pastSla) q.Add("pastSla=1");
        return "/applications" + (q.Count == 0 ? "" : "?" + string.Join('&', q));
    }

    /// <summary>The files list's filter from its query (unreadable parts left out): the pipeline's open stages unless states are given.</summary>
    public static Applications.QueueFilter ParseFiles(string? state, string? region, string? team, string? officer, string? pastSla,
        IReadOnlyDictionary<Domain.Applications.ApplicationState, int> slaHours)
    {
        var states = state?.Split(',').Select(x => Enum.TryParse<Domain.Applications.ApplicationState>(x, out var s) && Enum.IsDefined(s) ? (Domain.Applications.ApplicationState?)s : null)
            .Where(s => s is not null && PipelineDashboard.OpenStages.Contains(s.Value)).Select(s => s!.Value).ToArray();
        return new Applications.QueueFilter(states is { Length: > 0 } ? states : PipelineDashboard.OpenStages, Guid.TryParse(team, out var t) ? t : null,
            null, null, null, null)
        {
            RegionId = Guid.TryParse(region, out var r) ? r : null,
            OfficerId = Guid.TryParse(officer, out var o) ? o : null,
            ExcludeImported = true,
            PastSlaHours = pastSla == "1" ? slaHours : null,
        };
    }

    public static bool IsDrillDown(LoanFilter f) =>
        f.RegionId is not null || f.TeamId is not null || f.OfficerId is not null || f.ProductCode is not null || f.Method is not null
        || f.DpdFrom is not null || f.Classes is not null || f.OpenOnly || f.ExcludeExtended;
}
