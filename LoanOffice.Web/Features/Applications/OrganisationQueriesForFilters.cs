using LoanOffice.Web.Components.Shared;
using LoanOffice.Data;
using Microsoft.EntityFrameworkCore;

namespace LoanOffice.Web.Features.Applications;

/// <summary>Choices for the queue filters: teams and product codes.</summary>
public sealed class OrganisationQueriesForFilters(IDbContextFactory<LoanOfficeDbContext> dbFactory)
{
    public async Task<(IReadOnlyList<(Guid Id, string Name)> Teams, IReadOnlyList<string> Products)> LoadAsync()
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var teams = await db.Teams.AsNoTracking().OrderBy(t => t.Code).Select(t => new { t.Id, Name = OrgNames.English && t.NameEn != null ? t.NameEn : t.Name }).ToListAsync();
        var products = await db.Products.AsNoTracking().OrderBy(p => p.Code).Select(p => p.Code).ToListAsync();
        return (teams.Select(t => (t.Id, t.Name)).ToList(), products);
    }
}
