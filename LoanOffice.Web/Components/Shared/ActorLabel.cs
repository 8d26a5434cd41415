using Microsoft.Extensions.Localization;

namespace LoanOffice.Web.Components.Shared;

/// <summary>
/// Who did something, for people: a staff member's name as recorded; a system actor ("system:close-of-business",
/// "system:intake:WEB", "system:ops:seed-demo") in the user's language (系统 · 日终批处理, System · online application);
/// the audit trail's "user:gm" as the user name, "anonymous" as 匿名访问 / anonymous.
/// </summary>
public static class ActorLabel
{
    public static string Of(string? actor, IStringLocalizer L)
    {
        if (string.IsNullOrEmpty(actor)) return "—";
        if (actor == "anonymous") return L["Actor.Anonymous"];
        if (actor.StartsWith("user:", StringComparison.Ordinal))
        {
            // the audit trail's "user:gm": the user name; "user:gm@token:feed": the user and the access token used
            var who = actor["user:".Length..];
            var mark = who.IndexOf(Security.WebAuditContext.TokenMark, StringComparison.Ordinal);
            return mark < 0 ? who : $"{who[..mark]} · {L["Actor.Token"].Value} {who[(mark + Security.WebAuditContext.TokenMark.Length)..]}";
        }
        if (!actor.StartsWith("system:", StringComparison.Ordinal)) return actor;
        var job = actor["system:".Length..];
        var (kind, detail) = job.IndexOf(':', StringComparison.Ordinal) is var i and > 0 ? (job[..i], job[(i + 1)..]) : (job, "");
        var name = L["Actor." + kind];
        var what = name.ResourceNotFound ? job : name.Value;
        if (detail.Length > 0)
        {
            var channel = L["Channel." + detail];
            what += " · " + (channel.ResourceNotFound ? detail : channel.Value);
        }

        return L["Actor.System"] + " · " + what;
    }
}
