using System.Text.Json;
using LoanOffice.Domain.Common;
using LoanOffice.Domain.Loans;
using LoanOffice.Web.Features.Servicing;
using LoanOffice.Web.Hosting;
using LoanOffice.Web.Security;
using Microsoft.EntityFrameworkCore;

namespace LoanOffice.Web.Features.Api;

public sealed record ApiLoanRow(string Number, string Customer, string Team, decimal Principal, decimal PrincipalOutstanding, int DaysPastDue,
    string Class, string Status, DateOnly DisbursedOn);

public sealed record ApiInstallment(int Number, DateOnly DueDate, decimal Principal, decimal Interest, decimal PrincipalPaid, decimal InterestPaid, string State);

public sealed record ApiBalances(decimal Principal, decimal Interest, decimal Penalty, decimal Compound)
{
    public decimal Total => Principal + Interest + Penalty + Compound;
}

public sealed record ApiLoan(string Number, string Customer, string Team, string? Officer, string ApplicationNumber, string Status, string Class,
    int DaysPastDue, DateOnly ClosedThrough, decimal Principal, decimal AnnualRate, int Months, string Method, DateOnly DisbursedOn,
    decimal PenaltyMarkup, int GraceDays, ApiBalances Balances, decimal PenaltyAccrued, decimal CompoundAccrued,
    IReadOnlyList<ApiInstallment> Schedule, JsonElement Terms);

public sealed record ApiPage<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize);

public sealed record RepaymentRequest(DateOnly? ValueDate, decimal? Amount, string? Channel, string? ExternalReference);

public sealed record ApiAllocationLine(string Component, int? Installment, decimal Amount);

public sealed record RepaymentAnswer(Guid TransactionId, string ExternalReference, IReadOnlyList<ApiAllocationLine> Allocation, bool Settled, bool Replayed);

public sealed record ReversalRequest(string? Reason);

/// <param name="Option">ShortenTerm or LowerInstallment.</param>
public sealed record PrepaymentRequest(DateOnly? Date, decimal? Principal, string? Option, string? Channel, string? ExternalReference);

public sealed record PrepaymentAnswer(PrepaymentQuote? Quote, string ExternalReference, bool Replayed);

/// <summary>
/// The loans API (<c>/api/v1/loans</c>): the list with filters, a loan by its number (terms, balances by component,
/// schedule with what was paid, DPD, class, accruals), the payoff quote, posting a repayment (the external reference
/// is its idempotency key: the same payment sent again answers the first posting) and reversing one. Each call runs
/// the same services as the pages, with the caller's roles and data scope.
/// </summary>
public static class LoanApiEndpoints
{
    public static IEndpointRouteBuilder MapLoanApiEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/loans").RequireAuthorization(Policies.Loans).WithTags("Loans");

        group.MapGet("/", async (Guid? team, Guid? officer, LoanStatus? status, LoanClass? @class, int? dpdFrom, int? dpdTo,
            DateOnly? disbursedFrom, DateOnly? disbursedTo, int? page, int? pageSize, LoanQueries loans, CancellationToken ct) =>
        {
            var list = await loans.ListAsync(new LoanFilter(null, team, officer, status, @class, dpdFrom, dpdTo, disbursedFrom, disbursedTo),
                Math.Max(0, page ?? 0), pageSize ?? 50, ct);
            return TypedResults.Ok(new ApiPage<ApiLoanRow>(list.Items.Select(r => new ApiLoanRow(r.Number, r.Customer, r.Team, r.Principal,
                r.PrincipalOutstanding, r.DaysPastDue, r.Class.ToString(), r.Status.ToString(), r.DisbursedOn)).ToList(), list.Total, list.Page, list.PageSize));
        }).WithSummary("Loans in the caller's scope, most overdue first (page from 0, up to 100 a page)").Produces<ApiPage<ApiLoanRow>>();

        group.MapGet("/{number}", async (string number, LoanQueries loans, CancellationToken ct) =>
        {
            if (await loans.IdOfAsync(number, ct) is not { } id || await loans.DetailAsync(id, ct) is not { } d) return NotFound();
            var l = d.Loan;
            var schedule = l.Installments.OrderBy(i => i.Number).Select(i => new ApiInstallment(i.Number, i.DueDate, i.Principal, i.Interest, i.PrincipalPaid, i.InterestPaid,
                i.PrincipalPaid == i.Principal && i.InterestPaid == i.Interest ? "paid"
                : PaymentAllocator.IsOverdue(new(i.Number, i.DueDate, i.Principal - i.PrincipalPaid, i.Interest - i.InterestPaid), l.ClosedThrough, l.GraceDays) ? "overdue"
                : "open")).ToList();
            using var terms = JsonDocument.Parse(string.IsNullOrWhiteSpace(l.TermsSnapshot) ? "{}" : l.TermsSnapshot);
            return Results.Ok(new ApiLoan(l.Number, d.Customer, d.Team, d.Officer, d.ApplicationNumber, l.Status.ToString(), l.Class.ToString(), l.DaysPastDue,
                l.ClosedThrough, l.Principal, l.AnnualRate, l.Months, l.Method.ToString(), l.DisbursedOn, l.PenaltyMarkup, l.GraceDays,
                new ApiBalances(d.PrincipalOutstanding, d.InterestOutstanding, d.PenaltyOutstanding, d.CompoundOutstanding),
                d.PenaltyAccrued, d.CompoundAccrued, schedule, terms.RootElement.Clone()));
        }).WithSummary("A loan by its number: terms, balances by component, the schedule with what was paid, DPD and class")
            .Produces<ApiLoan>().ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/{number}/payoff", async (string number, DateOnly? date, LoanQueries loans, LoanServicing servicing, TimeProvider clock, CancellationToken ct) =>
        {
            if (await loans.IdOfAsync(number, ct) is not { } id) return NotFound();
            var quote = await servicing.PayoffQuoteAsync(id, date ?? Components.Shared.Fmt.ChinaDate(clock));
            return quote.IsSuccess ? Results.Ok(quote.Value) : Problems.From(quote.Error!);
        }).WithSummary("What settles the loan on a date (today when not given), by component")
            .Produces<Payoff>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        group.MapPost("/{number}/repayments", async (string number, RepaymentRequest body, HttpContext http, LoanQueries loans, LoanServicing servicing,
            Microsoft.EntityFrameworkCore.IDbContextFactory<Data.LoanOfficeDbContext> dbFactory, CancellationToken ct) =>
        {
            if (await loans.IdOfAsync(number, ct) is not { } id) return NotFound();
            var reference = (body.ExternalReference ?? http.Request.Headers["Idempotency-Key"].ToString()).Trim();
            var errors = new List<Error>();
            if (body.ValueDate is null) errors.Add(Error.Of(ErrorCodes.Required, "valueDate").At("valueDate"));
            if (body.Amount is null) errors.Add(Error.Of(ErrorCodes.Required, "amount").At("amount"));
            if (reference.Length == 0) errors.Add(Error.Of(ErrorCodes.Required, "externalReference").At("externalReference"));
            if (Error.Combine(errors) is { } invalid) return Problems.From(invalid);

            await using var db = await dbFactory.CreateDbContextAsync(ct);
            // the same payment sent again (a retry) answers the first posting; the same reference with other figures is a conflict
            var earlier = await db.LoanTransactions.AsNoTracking().SingleOrDefaultAsync(t => t.ExternalReference == reference, ct);
            if (earlier is not null)
                return earlier.LoanId == id && earlier.Amount == body.Amount && earlier.ValueDate == body.ValueDate && earlier.ReversedAt is null
                    ? Results.Ok(new RepaymentAnswer(earlier.Id, reference, LinesOf(earlier.Allocation), false, Replayed: true))
                    : Problems.From(Error.Of(ErrorCodes.ReferenceTaken).At("externalReference"));
            var version = await db.Loans.Where(l => l.Id == id).Select(l => l.Version).SingleAsync(ct);
            var posted = await servicing.PostRepaymentAsync(id, body.ValueDate!.Value, body.Amount!.Value, body.Channel ?? "BankTransfer", reference, version);
            if (!posted.IsSuccess) return Problems.From(posted.Error!);
            return Results.Ok(new RepaymentAnswer(posted.Value!.TransactionId, reference,
                posted.Value.Allocation.Lines.Select(x => new ApiAllocationLine(x.Component.ToString(), x.InstallmentNumber, x.Amount)).ToList(), posted.Value.Settled, Replayed: false));
        }).WithSummary("Posts a repayment (Finance): allocated penalty → compound → overdue → current; the external reference makes a retry safe")
            .Produces<RepaymentAnswer>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        group.MapGet("/{number}/prepayment-quote", async (string number, DateOnly? date, decimal? principal, PrepaymentOption? option,
            LoanQueries loans, LoanServicing servicing, CancellationToken ct) =>
        {
            if (await loans.IdOfAsync(number, ct) is not { } id) return NotFound();
            if (PrepaymentErrors(date, principal, option, "-") is { } invalid) return Problems.From(invalid);
            var quote = await servicing.QuotePrepaymentAsync(id, date!.Value, principal!.Value, option!.Value);
            return quote.IsSuccess ? Results.Ok(quote.Value) : Problems.From(quote.Error!);
        }).WithSummary("What a prepayment of some principal costs on a date (interest by days), and the schedule after it")
            .Produces<PrepaymentQuote>().ProducesValidationProblem();

        group.MapPost("/{number}/prepayments", async (string number, PrepaymentRequest body, HttpContext http, LoanQueries loans, LoanServicing servicing,
            Microsoft.EntityFrameworkCore.IDbContextFactory<Data.LoanOfficeDbContext> dbFactory, CancellationToken ct) =>
        {
            if (await loans.IdOfAsync(number, ct) is not { } id) return NotFound();
            var reference = (body.ExternalReference ?? http.Request.Headers["Idempotency-Key"].ToString()).Trim();
            PrepaymentOption? option = Enum.TryParse<PrepaymentOption>(body.Option, ignoreCase: true, out var o) && Enum.IsDefined(o) ? o : null;
            if (body.Option is not null && option is null)
                return Problems.From(Error.Of(ErrorCodes.NotOneOf, body.Option, string.Join(", ", Enum.GetNames<PrepaymentOption>())).At("option"));
            if (PrepaymentErrors(body.Date, body.Principal, option, reference) is { } invalid) return Problems.From(invalid);
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var earlier = await db.LoanTransactions.AsNoTracking().SingleOrDefaultAsync(t => t.ExternalReference == reference, ct);
            if (earlier is not null)
                return earlier.LoanId == id && earlier.Kind == Data.Servicing.TransactionKind.Prepayment && earlier.ValueDate == body.Date && earlier.PrepaidPrincipal == body.Principal
                    ? Results.Ok(new PrepaymentAnswer(null, reference, Replayed: true))
                    : Problems.From(Error.Of(ErrorCodes.ReferenceTaken).At("externalReference"));
            var version = await db.Loans.Where(l => l.Id == id).Select(l => l.Version).SingleAsync(ct);
            var posted = await servicing.PostPrepaymentAsync(id, body.Date!.Value, body.Principal!.Value, option!.Value, body.Channel ?? "BankTransfer", reference, version);
            return posted.IsSuccess ? Results.Ok(new PrepaymentAnswer(posted.Value, reference, Replayed: false)) : Problems.From(posted.Error!);
        }).WithSummary("Confirms a prepayment (Finance): interest by days plus the principal, and the new schedule; retry-safe by its external reference")
            .Produces<PrepaymentAnswer>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);

        group.MapPost("/{number}/repayments/{externalReference}/reversal", async (string number, string externalReference, ReversalRequest body,
            LoanQueries loans, LoanServicing servicing, Microsoft.EntityFrameworkCore.IDbContextFactory<Data.LoanOfficeDbContext> dbFactory, CancellationToken ct) =>
        {
            if (await loans.IdOfAsync(number, ct) is not { } id) return NotFound();
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var tx = await db.LoanTransactions.AsNoTracking().SingleOrDefaultAsync(t => t.LoanId == id && t.ExternalReference == externalReference, ct);
            if (tx is null) return Problems.From(Error.Of(ErrorCodes.PaymentNotFound));
            var version = await db.Loans.Where(l => l.Id == id).Select(l => l.Version).SingleAsync(ct);
            var reversed = await servicing.ReverseAsync(id, tx.Id, body.Reason, version);
            return reversed.IsSuccess ? Results.NoContent() : Problems.From(reversed.Error!);
        }).WithSummary("Reverses a posted repayment (Finance) with a reason; the later payments are allocated again")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound).ProducesValidationProblem();

        return app;
    }

    private static Error? PrepaymentErrors(DateOnly? date, decimal? principal, PrepaymentOption? option, string reference) => Error.Combine([
        .. date is null ? [Error.Of(ErrorCodes.Required, "date").At("date")] : Array.Empty<Error>(),
        .. principal is null ? [Error.Of(ErrorCodes.Required, "principal").At("principal")] : Array.Empty<Error>(),
        .. option is null ? [Error.Of(ErrorCodes.Required, "option").At("option")] : Array.Empty<Error>(),
        .. reference.Length == 0 ? [Error.Of(ErrorCodes.Required, "externalReference").At("externalReference")] : Array.Empty<Error>(),
    ]);

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult NotFound() => Problems.From(Error.Of(ErrorCodes.LoanNotFound));

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static List<ApiAllocationLine> LinesOf(string allocation) =>
        allocation.TrimStart().StartsWith('[') ? JsonSerializer.Deserialize<List<ApiAllocationLine>>(allocation, Json) ?? [] : [];
}
