using System.Text.Json;
using LoanOffice.Domain.Common;
using LoanOffice.Web.Hosting;

namespace LoanOffice.Web.Security;

/// <summary>
/// Text the API is sent goes to PostgreSQL, which refuses NUL (22021, a 500 before): every query parameter, route
/// value and string of a JSON body under /api and /account is checked first: a control character, or a date outside
/// <see cref="BusinessDates"/> (year 0001, 9999), answers 400 with the code and the field's name (<c>name</c>,
/// <c>items[2].reference</c>) before any endpoint runs.
/// </summary>
public sealed class InputGuard(RequestDelegate next)
{
    /// <summary>JSON bodies larger than this are left to their endpoint (the API's bodies are small; files come as multipart).</summary>
    private const long MaxInspectedBody = 1024 * 1024;

    public async Task InvokeAsync(HttpContext http)
    {
        var path = http.Request.Path;
        if (path.StartsWithSegments("/api") || path.StartsWithSegments("/account") || path.StartsWithSegments("/culture"))
        {
            var refusal = Query(http) ?? Route(http) ?? await BodyAsync(http);
            if (refusal is not null)
            {
                await Problems.From(refusal).ExecuteAsync(http);
                return;
            }
        }

        await next(http);
    }

    private static Error? Query(HttpContext http)
    {
        foreach (var (key, values) in http.Request.Query)
        {
            if (TextInput.HasControl(key) || values.Any(TextInput.HasControl)) return TextInput.Refusal(TextInput.StripControl(key)!);
            foreach (var value in values)
                if (BusinessDates.Leading(value) is { } date && !BusinessDates.InRange(date)) return BusinessDates.Refusal(key, date);
        }

        return null;
    }

    private static Error? Route(HttpContext http)
    {
        foreach (var (key, value) in http.Request.RouteValues)
            if (value is string s && TextInput.HasControl(s)) return TextInput.Refusal(key);
        // a control character in the path itself (…/loans/%00): the whole path
        return TextInput.HasControl(http.Request.Path.Value) ? TextInput.Refusal("path") : null;
    }

    private static async Task<Error?> BodyAsync(HttpContext http)
    {
        var request = http.Request;
        if (request.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) != true || request.ContentLength is 0 or > MaxInspectedBody)
            return null;
        // a chunked body (no length) is read up to the limit as well
        request.EnableBuffering(bufferThreshold: 64 * 1024, bufferLimit: MaxInspectedBody);
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: http.RequestAborted);
            return Find(document.RootElement, "");
        }
        catch (JsonException)
        {
            return null; // not JSON: the endpoint answers its own 400
        }
        catch (IOException)
        {
            return Error.Of(ErrorCodes.RequestBodyUnreadable); // over the limit
        }
        finally
        {
            request.Body.Position = 0;
        }
    }

    private static Error? Find(JsonElement element, string at) => element.ValueKind switch
    {
        JsonValueKind.String => Text(element.GetString(), at.Length == 0 ? "body" : at),
        JsonValueKind.Object => element.EnumerateObject()
            .Select(p => TextInput.HasControl(p.Name) ? TextInput.Refusal(Join(at, "?")) : Find(p.Value, Join(at, p.Name))).FirstOrDefault(f => f is not null),
        JsonValueKind.Array => element.EnumerateArray().Select((e, i) => Find(e, $"{at}[{i}]")).FirstOrDefault(f => f is not null),
        _ => null,
    };

    // a string value: no control character, and a date (valueDate: "9999-12-31") within the business range
    private static Error? Text(string? value, string field) =>
        TextInput.HasControl(value) ? TextInput.Refusal(field)
        : BusinessDates.Leading(value) is { } date && !BusinessDates.InRange(date) ? BusinessDates.Refusal(field, date)
        : null;

    private static string Join(string at, string name) => at.Length == 0 ? name : at + "." + name;
}
