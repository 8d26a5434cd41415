using LoanOffice.Web.Components.Shared;
using LoanOffice.Web.Features.Applications;
using LoanOffice.Tests.Support;
using LoanOffice.Web.Features.Search;
using Microsoft.EntityFrameworkCore;
using Shouldly;

namespace LoanOffice.Tests.Integration;

/// <summary>The global search finds loans and applications by number, customer name or the ID's last digits — within the user's scope only.</summary>
public class GlobalSearchTests(AppFactory app) : IClassFixture<AppFactory>, IAsyncLifetime
{
    public Task InitializeAsync() => TestDatabase.EnsureReadyAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<IReadOnlyList<SearchHit>> AsAsync(string user, string text)
    {
        await using var scope = await ActingAs.UserAsync(app.Services, user);
        return await scope.Get<SearchQueries>().SearchAsync(text);
    }

    [Fact]
    public async Task ALoan_IsFoundByItsNumber_ItsCustomersIdDigits_AndItsApplication_ButNotOutsideTheScope()
    {
        var loanId = await TestLoans.CreateAsync(app.Services, new DateOnly(2026, 11, 2));
        await using var db = TestSql.Shared.Db();
        var loan = await db.Loans.AsNoTracking().SingleAsync(l => l.Id == loanId);
        var masked = await db.Customers.Where(c => c.Id == loan.CustomerId).Select(c => c.ResidentIdMasked).SingleAsync();
        var application = await db.Applications.Where(a => a.Id == loan.ApplicationId).Select(a => a.Number).SingleAsync();

        var byNumber = await AsAsync("officer", loan.Number.ToLowerInvariant());
        byNumber.ShouldContain(h => h.Kind == "Loan" && h.Title == loan.Number && h.Href == $"/loans/{loanId}" && h.Detail.Contains("¥12,000.00"));
        (await AsAsync("officer", masked[^4..])).ShouldContain(h => h.Title == loan.Number, "by the last four digits of the ID");
        (await AsAsync("lead", application)).ShouldContain(h => h.Kind == "Application" && h.Title == application);

        (await AsAsync("officer.sz", loan.Number)).ShouldBeEmpty("another team's loan is not found");
        (await AsAsync("officer", "J")).ShouldBeEmpty("one character finds nothing");
        (await AsAsync("officer", "张")).Count.ShouldBeLessThanOrEqualTo(SearchQueries.MaxHits);
    }

    [Fact]
    public async Task AListsSearchBox_FindsByTheSameRule_WithinTheList()
    {
        var loanId = await TestLoans.CreateAsync(app.Services, new DateOnly(2026, 11, 2));
        await using var db = TestSql.Shared.Db();
        var loan = await db.Loans.AsNoTracking().SingleAsync(l => l.Id == loanId);
        var masked = await db.Customers.Where(c => c.Id == loan.CustomerId).Select(c => c.ResidentIdMasked).SingleAsync();
        var id = await TestApplications.SubmittedAsync(app.Services, "杭州市西湖区", "officer", "lead");
        var number = await db.Applications.Where(a => a.Id == id).Select(a => a.Number).SingleAsync();

        async Task<PagedResult<ApplicationRow>> Tasks(string? search)
        {
            await using var scope = await ActingAs.UserAsync(app.Services, "officer");
            return await scope.Get<ApplicationQueries>().MyTasksAsync(0, Paging.MaxPageSize, search);
        }

        (await Tasks(number.ToLowerInvariant())).Items.ShouldHaveSingleItem().Id.ShouldBe(id);
        (await Tasks(number[..^1] + "%")).Items.ShouldBeEmpty("a typed % is a character, not a wildcard");
        (await Tasks("张")).Items.ShouldContain(r => r.Id == id);
        (await Tasks("ZZ-NOTHING")).Total.ShouldBe(0);
        (await Tasks(null)).Total.ShouldBeGreaterThanOrEqualTo(1);
        masked.Length.ShouldBeGreaterThan(4);
    }
}
