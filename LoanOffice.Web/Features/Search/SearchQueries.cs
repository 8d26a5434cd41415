using LoanOffice.Data;
using LoanOffice.Domain.Applications;
using LoanOffice.Web.Components.Shared;
using LoanOffice.Web.Hosting;
using Microsoft.EntityFrameworkCore;

namespace LoanOffice.Web.Features.Search;

/// <summary>One thing the global search found: what it is, how it is called, a line about it and where it opens.</summary>
public sealed record SearchHit(string Kind, string Title, string Detail, string Href);

/// <summary>
/// The global search (Ctrl+K): an application or loan number (its beginning), a customer's name (its beginning) or the
/// last digits of a masked resident ID (4 or more), only among the records the user's data scope shows. At most
/// <see cref="MaxHits"/> hits, the newest first; nothing for fewer than two characters.
/// </summary>
public sealed class SearchQueries(ActorContext context)
{
    /// <summary>A number's beginning, in any letter case (LIKE's wildcards in what was typed are taken literally).</summary>
    private static string LikePrefix(string q) => LikeEscaped(q) + "%";

    /// <summary>A LIKE pattern matching <paramref name="q"/> anywhere (its own %, _ and \ taken literally).</summary>
    public static string LikeContains(string q) => "%" + LikeEscaped(q) + "%";

    private static string LikeEscaped(string q) =>
        q.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);

    /// <summary>
    /// A search box's text as every search uses it: trimmed, control characters (a pasted NUL, which PostgreSQL would
    /// refuse) dropped; empty means "no search".
    /// </summary>
    public static string Clean(string? text) => (LoanOffice.Domain.Common.TextInput.StripControl(text) ?? string.Empty).Trim();

    /// <summary>The last digits of a resident ID (as the masked number shows them): four or more digits or X.</summary>
    private static bool LooksLikeIdDigits(string q) => q.Length >= 4 && q.All(c => char.IsAsciiDigit(c) || c is 'X' or 'x' or '*');

    /// <summary>
    /// The files a typed text finds — by the beginning of their number (any letter case), by the beginning of the
    /// applicant's name, or by the last 4+ digits of the masked resident ID: the one rule of the global search and of
    /// every list's search box.
    /// </summary>
    public static IQueryable<LoanApplication> Matching(LoanOfficeDbContext db, IQueryable<LoanApplication> files, string? text)
    {
        var q = Clean(text);
        if (q.Length == 0) return files;
        var prefix = LikePrefix(q);
        var upper = q.ToUpperInvariant();
        var byId = LooksLikeIdDigits(q);
        return files.Where(a => EF.Functions.ILike(a.Number, prefix) || a.ApplicantName.StartsWith(q)
                                || (byId && db.Customers.Any(c => c.Id == a.CustomerId && c.ResidentIdMasked.EndsWith(upper))));
    }

    public const int MaxHits = 10;
    private const int Candidates = 60;

    public async Task<IReadOnlyList<SearchHit>> SearchAsync(string? text, CancellationToken ct = default)
    {
        var q = Clean(text);
        if (q.Length < 2 || await context.ActorAsync(ct) is null) return [];
        var upper = q.ToUpperInvariant();
        var prefix = LikePrefix(q);
        var byId = LooksLikeIdDigits(q);
        var scope = await context.ScopeAsync(ct);
        await using var db = await context.OpenAsync(ct);

        var applications = await Matching(db, db.Applications.AsNoTracking(), q)
            .OrderByDescending(a => a.ReceivedAt).Take(Candidates)
            .Select(a => new { a.Id, a.Number, a.ApplicantName, a.TeamId, a.AssignedOfficerId, a.State, a.RequestedAmount })
            .ToListAsync(ct);
        var loans = await db.Loans.AsNoTracking()
            .Where(l => EF.Functions.ILike(l.Number, prefix)
                        || db.Customers.Any(c => c.Id == l.CustomerId && (c.Name.StartsWith(q) || (byId && c.ResidentIdMasked.EndsWith(upper)))))
            .OrderByDescending(l => l.CreatedAt).Take(Candidates)
            .Select(l => new { l.Id, l.Number, l.TeamId, l.OfficerId, l.Principal, l.Status, Customer = db.Customers.Where(c => c.Id == l.CustomerId).Select(c => c.Name).First() })
            .ToListAsync(ct);

        var hits = new List<SearchHit>();
        hits.AddRange(loans.Where(l => scope.CanSee(l.TeamId, l.OfficerId))
            .Select(l => new SearchHit("Loan", l.Number, $"{l.Customer} · {Fmt.Cny(l.Principal)}", $"/loans/{l.Id}")));
        hits.AddRange(applications.Where(a => ActorContext.MaySee(scope, a.TeamId, a.AssignedOfficerId, a.State))
            .Select(a => new SearchHit("Application", a.Number, $"{a.ApplicantName} · {Fmt.Cny(a.RequestedAmount)}", $"/applications/{a.Id}")));
        return hits.Take(MaxHits).ToList();
    }
}
