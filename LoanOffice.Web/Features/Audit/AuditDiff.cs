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
            // a change is {field: {before, after}}; an event's details ({action: "Vote"}, {fields: [...]}) are shown as they are
            return doc.RootElement.EnumerateObject().Select(p => p.Value.ValueKind == JsonValueKind.Object
                ? new AuditFieldChange(p.Name,
                    p.Value.TryGetProperty("before", out var b) ? Text(b) : null,
                    p.Value.TryGetProperty("after", out var a) ? Text(a) : null)
                : new AuditFieldChange(p.Name, null, Text(p.Value))).ToList();
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

/// <summary>The business names of audited records and their fields (贷款申请 · 申请金额), the raw name where none is known.</summary>
public static class AuditNames
{
    public static string Entity(string type, Microsoft.Extensions.Localization.IStringLocalizer L) => Named("AuditEntity." + type, type, L);

    public static string Field(string field, Microsoft.Extensions.Localization.IStringLocalizer L) => Named("AuditField." + field, field, L);

    private static string Named(string key, string raw, Microsoft.Extensions.Localization.IStringLocalizer L)
    {
        var text = L[key];
        return text.ResourceNotFound ? raw : text.Value;
    }
}
