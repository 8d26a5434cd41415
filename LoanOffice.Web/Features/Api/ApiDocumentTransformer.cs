using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace LoanOffice.Web.Features.Api;

/// <summary>
/// The API document's title and description, and how to authenticate: an access token as a bearer (integrations) or
/// the browser's sign-in cookie; the intake API uses the channel's key.
/// </summary>
public sealed class ApiDocumentTransformer : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "LoanOffice API",
            Version = "v1",
            Description = "The loan back office's API. Send an access token as `Authorization: Bearer lo_…` (made by an admin on "
                          + "the Users page or with `./loanoffice token create`); it acts with its user's roles and data scope. "
                          + "Refusals are RFC 7807 problem details with a `code`. Channels submit applications with `X-Api-Key`.",
        };
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes["accessToken"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http, Scheme = "bearer", Description = "A personal access token (lo_…).",
        };
        document.Components.SecuritySchemes["channelKey"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = "X-Api-Key", Description = "An intake channel's key.",
        };
        document.Security ??= [];
        document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("accessToken", document)] = [] });
        return Task.CompletedTask;
    }
}
