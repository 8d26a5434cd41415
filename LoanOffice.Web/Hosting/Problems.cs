using LoanOffice.Domain.Common;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LoanOffice.Web.Hosting;

/// <summary>RFC 7807 problem details for domain errors and invalid fields.</summary>
public static class Problems
{
    public static ProblemHttpResult From(Error error) => error.Field is not null
        ? Validation(error.Field, error.Message)
        : TypedResults.Problem(
        title: error.Code switch
        {
            "not_found" => "Not found",
            "forbidden" => "Forbidden",
            "conflict" => "Conflict",
            "validation" => "Invalid request",
            _ => "Refused",
        },
        detail: error.Message,
        statusCode: error.Code switch
        {
            "not_found" => StatusCodes.Status404NotFound,
            "forbidden" => StatusCodes.Status403Forbidden,
            "conflict" => StatusCodes.Status409Conflict,
            _ => StatusCodes.Status422UnprocessableEntity,
        },
        extensions: new Dictionary<string, object?> { ["code"] = error.Code });

    public static ProblemHttpResult Validation(string field, string message) => TypedResults.Problem(
        title: "Invalid request",
        detail: message,
        statusCode: StatusCodes.Status400BadRequest,
        extensions: new Dictionary<string, object?>
        {
            ["code"] = "validation",
            ["errors"] = new Dictionary<string, string[]> { [field] = [message] },
        });
}
