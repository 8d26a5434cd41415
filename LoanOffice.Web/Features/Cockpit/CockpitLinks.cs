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
        int? dpdFrom = null, IReadOnlyList<LoanClass>? classes = null, string? productCode = null, RepaymentMethod? method = null, DateOnly? asOf = null) =>
        Query(new LoanFilter(TeamId: teamId ?? filter.TeamId, OfficerId: officerId, DpdFrom: dpdFrom)
        {
            RegionId = regionId ?? filter.RegionId, ProductCode = productCode ?? filter.ProductCode, Classes = classes, OpenOnly = true,
            ExcludeExtended = !filter.IncludeExtended, Method = method, AsOf = asOf,
        });

    /// <summary>
    /// A past date keeps its loans only where they were at risk (portfolio_loan_states): the figures that can open
    /// their loans for a past date are those that count at-risk loans only — days past due from 1, or classes below 正常.
    /// </summary>
    public static bool CountsAtRiskOnly(int? dpdFrom, IReadOnlyList<LoanClass>? classes) =>
        dpdFrom is >= 1 || classes is { Count: > 0 } c && c.All(x => x != LoanClass.Normal);

    /// <summary>
    /// A figure's link on a past date: its loans as that night's snapshot saw them, when the figure counts loans at risk
    /// only (<see cref="CountsAtRiskOnly"/>); no link otherwise.
    /// </summary>
    public static string? OnPastDate(string href, DateOnly asOf)
    {
        var at = href.IndexOf('?');
        var q = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(at < 0 ? "" : href[at..]);
        string? Get(string name) => q.TryGetValue(name, out var v) ? v.ToString() : null;
        var f = Parse(Get("region"), Get("team"), Get("officer"), Get("product"), Get("method"), Get("dpdFrom"), Get("classes"), Get("open"), Get("extended"));
        return CountsAtRiskOnly(f.DpdFrom, f.Classes) ? Query(f with { AsOf = asOf }) : null;
    }

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
        Add("asOf", f.AsOf?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        return "/loans" + (q.Count == 0 ? "" : "?" + string.Join('&', q));
    }

    /// <summary>The list's filter from its query (anything unreadable is left out, never an error page).</summary>
    public static LoanFilter Parse(string? region, string? team, string? officer, string? product, string? method, string? dpdFrom, string? classes, string? open, string? extended,
        string? asOf = null) =>
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
            AsOf = DateOnly.TryParseExact(asOf, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var a) ? a : null,
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
        || f.DpdFrom is not null || f.Classes is not null || f.OpenOnly || f.ExcludeExtended || f.AsOf is not null;
}
