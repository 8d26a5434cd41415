using LoanOffice.Domain.Import;
using LoanOffice.Web.Resources;
using LoanOffice.Web.Security;
using Microsoft.Extensions.Localization;

namespace LoanOffice.Web.Features.Import;

public static class ImportEndpoints
{
    /// <summary>The templates (a GET of a fixed document: it changes nothing), in the caller's language.</summary>
    public static IEndpointRouteBuilder MapImportEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/import/templates/{kind}.xlsx", (string kind, IStringLocalizer<SharedResource> L) =>
                Enum.TryParse<ImportKind>(kind, ignoreCase: true, out var k) && Enum.IsDefined(k) && !kind.All(char.IsDigit)
                    ? Results.File(ImportDocuments.Template(k, L), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"{L["Import.TemplateFile." + k].Value}.xlsx")
                    : Hosting.Problems.From(Domain.Common.Error.Of(Domain.Common.ErrorCodes.NotOneOf, kind, "customers, loans, payments").At("kind")))
            .RequireAuthorization(Policies.Import)
            .WithTags("Import")
            .WithSummary("A migration template (customers, loans or payments): the header in both languages, an example row, a sheet explaining each column");
        return app;
    }
}
