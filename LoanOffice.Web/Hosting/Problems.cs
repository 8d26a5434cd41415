using LoanOffice.Domain.Common;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LoanOffice.Web.Hosting;

/// <summary>
/// RFC 7807 problem details for domain errors: the code (and the field, for input errors) for programs, the code's
/// text in the caller's language (<see cref="ErrorText"/>) as the detail for people.
/// </summary>
public static class Problems
{
    // codes name their kind by their last part: ….NotFound → 404, ….Forbidden / OutOfScope / FourEyes / …Only → 403,
    // ….Changed / ChangedSinceOpened / …Conflict → 409
    private static bool IsNotFound(string code) => code == ErrorCodes.NotFound || code.EndsWith("NotFound", StringComparison.Ordinal);
    private static bool IsForbidden(string code) => code == ErrorCodes.Forbidden || code.EndsWith(".Forbidden", StringComparison.Ordinal)
        || code.EndsWith("OutOfScope", StringComparison.Ordinal) || code.EndsWith("FourEyes", StringComparison.Ordinal) || code.EndsWith("Only", StringComparison.Ordinal)
        || code.EndsWith("NotAllowed", StringComparison.Ordinal) || code.EndsWith("NotSignedIn", StringComparison.Ordinal);
    private static bool IsConflict(string code) => code == ErrorCodes.Conflict || code == ErrorCodes.IntakeRetry
        || code.EndsWith(".Changed", StringComparison.Ordinal) || code.EndsWith("ChangedSinceOpened", StringComparison.Ordinal) || code.EndsWith("Conflict", StringComparison.Ordinal);

    public static ProblemHttpResult From(Error error)
    {
        var text = ErrorText.Render(error);
        if (error.Field is not null && !IsConflict(error.Code)) return Validation(error.Field, text, error.Code);
        var (status, title) = error.Code switch
        {
            var c when IsNotFound(c) => (StatusCodes.Status404NotFound, "Not found"),
            var c when IsForbidden(c) => (StatusCodes.Status403Forbidden, "Forbidden"),
            var c when IsConflict(c) => (StatusCodes.Status409Conflict, "Conflict"),
            ErrorCodes.Validation => (StatusCodes.Status400BadRequest, "Invalid request"),
            _ => (StatusCodes.Status422UnprocessableEntity, "Refused"),
        };
        var extensions = new Dictionary<string, object?> { ["code"] = error.Code };
        if (error.Field is not null) extensions["field"] = error.Field;
        return TypedResults.Problem(title: title, detail: text, statusCode: status, extensions: extensions);
    }

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
