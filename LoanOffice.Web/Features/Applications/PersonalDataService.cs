using LoanOffice.Web.Hosting;
using LoanOffice.Data.Auditing;
using LoanOffice.Data.Security;
using LoanOffice.Domain.Common;
using LoanOffice.Domain.Organisation;
using Microsoft.EntityFrameworkCore;

namespace LoanOffice.Web.Features.Applications;

public sealed record RevealedPersonalData(string ResidentId, string Mobile, string? BankAccount);

/// <summary>
/// Unmasked personal financial information, for the roles whose work needs it (the officer handling the file, the
/// team lead, finance for disbursement, compliance), within their data scope. Every reveal is written to the audit
/// trail (who, when, from where, whose data) in its own transaction before the data is returned.
/// </summary>
public sealed class PersonalDataService(ActorContext context, PersonalDataProtector pii, IAuditContext audit)
{
    /// <summary>The audit row of a customer's personal data shown unmasked (on the file, or printed in a contract): who, when, what and why.</summary>
    public static AuditEntry Revealed(IAuditContext audit, DateTimeOffset at, Guid customerId, object details) => new()
    {
        OccurredAt = at, Actor = audit.Actor, ClientIp = audit.ClientIp, EntityType = "Customer", EntityKey = customerId.ToString(),
        Action = "Revealed", Changes = System.Text.Json.JsonSerializer.Serialize(details, Json),
    };

    private static readonly System.Text.Json.JsonSerializerOptions Json =
        new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static readonly string[] RolesThatMayReveal = [Roles.LoanOfficer, Roles.TeamLead, Roles.Finance, Roles.Compliance];

    public async Task<Result<RevealedPersonalData>> RevealAsync(Guid applicationId, string reason)
    {
        var actor = await context.ActorAsync();
        if (actor is null) return ActorContext.NotSignedIn;
        if (!actor.Roles.Overlaps(RolesThatMayReveal)) return Error.Of(ErrorCodes.PersonalDataRoleNotAllowed);
        if (string.IsNullOrWhiteSpace(reason)) return Error.Of(ErrorCodes.PersonalDataReasonRequired).At("reason");
        await using var db = await context.OpenAsync();
        var (app, error) = await context.LoadForCommandAsync(db, applicationId, null);
        if (error is not null) return error;
        if (actor.Roles.Contains(Roles.LoanOfficer) && !actor.Roles.Overlaps([Roles.TeamLead, Roles.Finance, Roles.Compliance]) && app!.AssignedOfficerId != actor.UserId)
            return Error.Of(ErrorCodes.PersonalDataHandlingOfficerOnly);
        var customer = await db.Customers.AsNoTracking().SingleAsync(c => c.Id == app!.CustomerId);
        db.AuditEntries.Add(Revealed(audit, context.Now, customer.Id, new { fields = new[] { "ResidentId", "Mobile", "BankAccount" }, application = app!.Number, reason = reason.Trim() }));
        await db.SaveChangesAsync(); // the application is unchanged: only the audit row is written

        return new RevealedPersonalData(pii.Decrypt(customer.ResidentIdCipher), pii.Decrypt(customer.MobileCipher),
            customer.BankAccountCipher is null ? null : pii.Decrypt(customer.BankAccountCipher));
    }
}
