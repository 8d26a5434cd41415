using LoanOffice.Domain.Common;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LoanOffice.Web.Hosting;

/// <summary>
/// RFC 7807 problem details for domain errors: the code (and the field, for input errors) for programs, the code's
/// text in the caller's language (<see cref="ErrorText"/>) as the detail for people.
/// </summary>
public static class Problems
{
    public static ProblemHttpResult From(Error error)
    {
        var text = ErrorText.Render(error);
        if (error.Field is not null && !error.IsConflict && error.Also.Count > 0)
            return TypedResults.Problem(title: "Invalid request", detail: text, statusCode: StatusCodes.Status400BadRequest, extensions: new Dictionary<string, object?>
            {
                ["code"] = error.Code,
                ["field"] = error.Field,
                // every field's error, by field, each with its code (the first one leads)
                ["errors"] = error.All.Where(e => e.Field is not null).GroupBy(e => e.Field!).ToDictionary(g => g.Key, g => g.Select(e => ErrorText.Render(e)).ToArray()),
                ["codes"] = error.All.Where(e => e.Field is not null).GroupBy(e => e.Field!).ToDictionary(g => g.Key, g => g.First().Code),
            });
        if (error.Field is not null && !error.IsConflict) return Validation(error.Field, text, error.Code);
        var (status, title) = error.Code switch
        {
            _ when error.IsNotFound => (StatusCodes.Status404NotFound, "Not found"),
            _ when error.IsForbidden => (StatusCodes.Status403Forbidden, "Forbidden"),
            _ when error.IsConflict => (StatusCodes.Status409Conflict, "Conflict"),
            ErrorCodes.Validation or ErrorCodes.AntiforgeryMissing => (StatusCodes.Status400BadRequest, "Invalid request"),
            _ => (StatusCodes.Status422UnprocessableEntity, "Refused"),
        };
        var extensions = new Dictionary<string, object?> { ["code"] = error.Code };
        if (error.Field is not null) extensions["field"] = error.Field;
        return TypedResults.Problem(title: title, detail: text, statusCode: status, extensions: extensions);
    }

    /// <summary>A refusal with a status of its own (401 for a request that does not authenticate).</summary>
    public static ProblemHttpResult WithStatus(Error error, int status, string title) =>
        TypedResults.Problem(title: title, detail: ErrorText.Render(error), statusCode: status, extensions: new Dictionary<string, object?> { ["code"] = error.Code });

    public static ProblemHttpResult Validation(string field, string message, string code = "validation") => TypedResults.Problem(
        title: "Invalid request",
        detail: message,
        statusCode: StatusCodes.Status400BadRequest,
        extensions: new Dictionary<string, object?>
        {
            ["code"] = code,
            ["field"] = field,
            ["errors"] = new Dictionary<string, string[]> { [field] = [message] },
        });
}
