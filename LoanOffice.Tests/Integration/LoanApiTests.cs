using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LoanOffice.Domain.Common;
using LoanOffice.Tests.Support;
using LoanOffice.Web.Features.Servicing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;

namespace LoanOffice.Tests.Integration;

/// <summary>The loans API as an integration uses it: with an access token, within its user's scope, retry-safe postings.</summary>
public class LoanApiTests(IsolatedApp app) : ServicingTestBase(app)
{
    private async Task<HttpClient> AsAsync(string user) => (await App.BearerClientAsync(user)).Client;

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.ShouldBeTrue(text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    [Fact]
    public async Task AnIntegration_ListsReadsPostsRetriesAndReverses_WithinItsScope()
    {
        var loan = await TestLoans.CreateAsync(App.Services, new DateOnly(2025, 3, 8)); // 12,000 at 18 %, 12 months, 杭州团队
        (await App.Services.GetRequiredService<CloseOfBusiness>().RunThroughAsync(new DateOnly(2025, 4, 7), "test")).IsSuccess.ShouldBeTrue();
        var number = await Sql.ScalarAsync<string>("""SELECT "Number" FROM loans WHERE "Id" = @id""", ("id", loan));
        var officer = await AsAsync("officer");
        var finance = await AsAsync("finance");

        var list = await JsonAsync(await officer.GetAsync("/api/v1/loans?dpdFrom=0&disbursedFrom=2025-03-01&disbursedTo=2025-03-31"));
        list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("number").GetString()).ShouldContain(number);
        var other = await JsonAsync(await (await AsAsync("officer.sh")).GetAsync("/api/v1/loans"));
        other.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("number").GetString()).ShouldNotContain(number, "another team's loan");
        var hidden = await (await AsAsync("officer.sh")).GetAsync($"/api/v1/loans/{number}");
        hidden.StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var detail = await JsonAsync(await officer.GetAsync($"/api/v1/loans/{number}"));
        detail.GetProperty("schedule").GetArrayLength().ShouldBe(12);
        detail.GetProperty("schedule")[0].GetProperty("state").GetString().ShouldBe("open");
        detail.GetProperty("balances").GetProperty("principal").GetDecimal().ShouldBe(12_000m);

        var payment = new { valueDate = "2025-04-08", amount = 1_100.16m, channel = "BankTransfer", externalReference = "API-" + Guid.NewGuid().ToString("N")[..10] };
        (await officer.PostAsJsonAsync($"/api/v1/loans/{number}/repayments", payment)).IsSuccessStatusCode.ShouldBeFalse("only finance posts");
        var posted = await JsonAsync(await finance.PostAsJsonAsync($"/api/v1/loans/{number}/repayments", payment));
        posted.GetProperty("replayed").GetBoolean().ShouldBeFalse();
        posted.GetProperty("allocation").EnumerateArray().Select(a => (a.GetProperty("component").GetString(), a.GetProperty("amount").GetDecimal()))
            .ShouldBe([("CurrentInterest", 180.00m), ("CurrentPrincipal", 920.16m)]);

        // a retry answers the first posting and posts nothing; the same reference with other figures is refused
        var again = await JsonAsync(await finance.PostAsJsonAsync($"/api/v1/loans/{number}/repayments", payment));
        again.GetProperty("replayed").GetBoolean().ShouldBeTrue();
        again.GetProperty("transactionId").GetGuid().ShouldBe(posted.GetProperty("transactionId").GetGuid());
        var changed = await finance.PostAsJsonAsync($"/api/v1/loans/{number}/repayments", payment with { amount = 1_000m });
        changed.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await changed.Content.ReadAsStringAsync()).ShouldContain(ErrorCodes.ReferenceTaken);
        var empty = await finance.PostAsJsonAsync($"/api/v1/loans/{number}/repayments", new { });
        JsonDocument.Parse(await empty.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").EnumerateObject().Select(p => p.Name)
            .ShouldBe(["valueDate", "amount", "externalReference"], ignoreOrder: true);
        await using (var db = Sql.Db())
            (await db.LoanTransactions.CountAsync(t => t.LoanId == loan)).ShouldBe(1);

        var paid = await JsonAsync(await officer.GetAsync($"/api/v1/loans/{number}"));
        paid.GetProperty("schedule")[0].GetProperty("state").GetString().ShouldBe("paid");
        paid.GetProperty("balances").GetProperty("principal").GetDecimal().ShouldBe(11_079.84m);
        var payoff = await JsonAsync(await officer.GetAsync($"/api/v1/loans/{number}/payoff?date=2025-04-08"));
        payoff.GetProperty("principal").GetDecimal().ShouldBe(11_079.84m);

        (await finance.PostAsJsonAsync($"/api/v1/loans/{number}/repayments/{payment.externalReference}/reversal", new { reason = "" }))
            .StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await finance.PostAsJsonAsync($"/api/v1/loans/{number}/repayments/{payment.externalReference}/reversal", new { reason = "银行退票" }))
            .StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await JsonAsync(await officer.GetAsync($"/api/v1/loans/{number}"))).GetProperty("schedule")[0].GetProperty("state").GetString().ShouldBe("open");
        (await officer.GetAsync("/api/v1/loans/JJ-NOTHING")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        // a prepayment (the loan current again first): quoted by anyone who sees the loan, confirmed by finance, retry-safe
        await JsonAsync(await finance.PostAsJsonAsync($"/api/v1/loans/{number}/repayments", payment with { externalReference = "API-" + Guid.NewGuid().ToString("N")[..10] }));
        var quote = await JsonAsync(await officer.GetAsync($"/api/v1/loans/{number}/prepayment-quote?date=2025-04-08&principal=5000&option=ShortenTerm"));
        quote.GetProperty("principalPrepaid").GetDecimal().ShouldBe(5_000m);
        quote.GetProperty("totalToPay").GetDecimal().ShouldBe(5_000m + quote.GetProperty("interestForDays").GetDecimal());
        var missing = await officer.GetAsync($"/api/v1/loans/{number}/prepayment-quote");
        JsonDocument.Parse(await missing.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").EnumerateObject().Select(p => p.Name)
            .ShouldBe(["date", "principal", "option"], ignoreOrder: true);
        var prepayment = new { date = "2025-04-08", principal = 5_000m, option = "ShortenTerm", channel = "BankTransfer", externalReference = "PP-" + Guid.NewGuid().ToString("N")[..10] };
        var confirmed = await JsonAsync(await finance.PostAsJsonAsync($"/api/v1/loans/{number}/prepayments", prepayment));
        confirmed.GetProperty("replayed").GetBoolean().ShouldBeFalse();
        confirmed.GetProperty("quote").GetProperty("totalToPay").GetDecimal().ShouldBe(quote.GetProperty("totalToPay").GetDecimal());
        (await JsonAsync(await finance.PostAsJsonAsync($"/api/v1/loans/{number}/prepayments", prepayment))).GetProperty("replayed").GetBoolean().ShouldBeTrue();
        await using (var db = Sql.Db())
            (await db.LoanTransactions.CountAsync(t => t.LoanId == loan && t.Kind == LoanOffice.Data.Servicing.TransactionKind.Prepayment)).ShouldBe(1);
    }
}
