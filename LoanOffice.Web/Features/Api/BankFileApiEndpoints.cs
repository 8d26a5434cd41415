using LoanOffice.Domain.Loans;
using LoanOffice.Web.Features.Servicing;
using LoanOffice.Web.Hosting;
using LoanOffice.Web.Security;

namespace LoanOffice.Web.Features.Api;

public sealed record BankPostRequest(IReadOnlyList<Guid>? LineIds);

public sealed record BankAssignRequest(string? LoanNumber, uint Version);

/// <summary>Bank repayment files through the API (Finance): the bank's file as the request body, the matched lines posted, the suspense list and its assignment.</summary>
public static class BankFileApiEndpoints
{
    public static IEndpointRouteBuilder MapBankFileApiEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/bank-files").RequireAuthorization(Policies.FinanceDesk).WithTags("Bank files");

        group.MapPost("/{bank}", async (string bank, HttpRequest request, BankFileService files, CancellationToken ct) =>
        {
            using var memory = new MemoryStream();
            await request.Body.CopyToAsync(memory, ct);
            var name = request.Headers["X-File-Name"].ToString() is { Length: > 0 } n ? n : $"{bank}-{DateTime.UtcNow:yyyyMMddHHmmss}.csv";
            var upload = await files.UploadAsync(bank, name, memory.ToArray(), ct);
            return upload.IsSuccess
                ? Results.Ok(new { upload.Value!.FileName, upload.Value.Sha256, upload.Value.Lines, upload.Value.Added, upload.Value.AlreadyUploaded,
                    Problems = upload.Value.Problems.Select(p => new { p.Line, p.Error.Code, Message = ErrorText.Render(p.Error) }), upload.Value.Rows })
                : Problems.From(upload.Error!);
        }).Accepts<string>("text/csv").WithSummary("Uploads a bank's daily repayment file (the body, read by the bank's saved mapping); answers every line with its match");

        group.MapPost("/post", async (BankPostRequest body, BankFileService files, CancellationToken ct) =>
        {
            var posted = await files.PostMatchedAsync(body.LineIds ?? [], ct);
            return posted.IsSuccess ? Results.Ok(posted.Value) : Problems.From(posted.Error!);
        }).Produces<BankPosting>().WithSummary("Posts the matched lines given; a refused one goes to the suspense list");

        group.MapGet("/suspense", async (BankFileService files, CancellationToken ct) => Results.Ok(await files.SuspenseAsync(ct)))
            .Produces<IReadOnlyList<BankLineRow>>().WithSummary("The lines waiting for a person: unmatched, ambiguous, or refused at posting");

        group.MapPost("/lines/{id:guid}/assignment", async (Guid id, BankAssignRequest body, BankFileService files, CancellationToken ct) =>
        {
            var assigned = await files.AssignAsync(id, body.LoanNumber, body.Version, ct);
            return assigned.IsSuccess ? Results.NoContent() : Problems.From(assigned.Error!);
        }).WithSummary("Assigns a suspense line to a loan by its number and posts it there (audited)");
        return app;
    }
}
