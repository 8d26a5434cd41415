using System.Text.Json;

namespace LoanOffice.Web.Features.Audit;

/// <summary>One changed field of an audit row, for a readable before/after view.</summary>
public sealed record AuditFieldChange(string Field, string? Before, string? After);

public static class AuditDiff
{
    public static IReadOnlyList<AuditFieldChange> Parse(string changesJson)
    {
        try
        {
            using var doc = JsonDocument.Parse(changesJson);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return [];
            return doc.RootElement.EnumerateObject().Select(p => new AuditFieldChange(
                p.Name,
                p.Value.TryGetProperty("before", out var b) ? Text(b) : null,
                p.Value.TryGetProperty("after", out var a) ? Text(a) : null)).ToList();
        }
        catch (JsonException)
        {
            return [new AuditFieldChange("?", null, changesJson)];
        }
    }

    private static string? Text(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.String => e.GetString(),
        _ => e.GetRawText(),
    };
}
