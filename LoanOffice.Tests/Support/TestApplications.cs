using LoanOffice.Web.Hosting;
using LoanOffice.Domain.Applications;
using LoanOffice.Domain.Common;
using LoanOffice.Tests.Integration;
using LoanOffice.Web.Features.Applications;
using Microsoft.EntityFrameworkCore;
using Shouldly;

namespace LoanOffice.Tests.Support;

/// <summary>Applications driven along the origination path through the real services (shared by the origination and report tests).</summary>
public static class TestApplications
{
    public static async Task<T> As<T>(IServiceProvider services, string user, Func<ActingAs, Task<T>> action)
    {
        await using var scope = await ActingAs.UserAsync(services, user);
        return await action(scope);
    }

    public static async Task<LoanApplication> LoadAsync(IServiceProvider services, Guid id)
    {
        await using var scope = await ActingAs.UserAsync(services, "gm");
        await using var db = await scope.Get<ActorContext>().OpenAsync();
        return await db.Applications.AsNoTracking().Include(a => a.Transitions.OrderBy(t => t.At).ThenBy(t => t.Id)).SingleAsync(a => a.Id == id);
    }

    public static void Ok(Result r) => r.IsSuccess.ShouldBeTrue(r.Error?.Message);

    /// <summary>What a text renders to in a language, with the app's resources.</summary>
    public static string InLanguage(IServiceProvider services, string culture, Func<Microsoft.Extensions.Localization.IStringLocalizer, string> render)
    {
        var previous = System.Globalization.CultureInfo.CurrentUICulture;
        System.Globalization.CultureInfo.CurrentUICulture = new System.Globalization.CultureInfo(culture);
        try { return render(Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Microsoft.Extensions.Localization.IStringLocalizer<LoanOffice.Web.Resources.SharedResource>>(services)); }
        finally { System.Globalization.CultureInfo.CurrentUICulture = previous; }
    }

    public static readonly byte[] Jpeg = TestImages.Jpeg();

    /// <summary>Intake → pool → assigned → collecting with documents → submitted → review passed: the file waits for approval.</summary>
    public static async Task<Guid> ToApprovalAsync(IServiceProvider services, string district, string officer, string lead, decimal amount = 100_000m)
    {
        var id = await SubmittedAsync(services, district, officer, lead, amount);
        Ok(await As(services, "reviewer", s => s.Get<ApplicationWorkflow>().ClaimAsync(id)));
        Ok(await As(services, "reviewer", async s => await s.Get<ApplicationWorkflow>().PassReviewAsync(id, "资料齐全", (await LoadAsync(services, id)).Version)));
        (await LoadAsync(services, id)).State.ShouldBe(ApplicationState.Approval);
        return id;
    }

    /// <summary>Intake → pool → assigned → collecting with documents → submitted: the file waits for preliminary review.</summary>
    public static async Task<Guid> SubmittedAsync(IServiceProvider services, string district, string officer, string lead, decimal amount = 100_000m)
    {
        var id = await CollectingAsync(services, district, officer, lead, amount);
        foreach (var doc in new[] { "身份证", "收入证明", "上门照片" })
            (await As(services, officer, s => s.Get<ApplicationWorkflow>().UploadAsync(id, new UploadedFile(doc + ".jpg", doc, Jpeg)))).IsSuccess.ShouldBeTrue();
        Ok(await As(services, officer, async s => await s.Get<ApplicationWorkflow>().SubmitAsync(id, (await LoadAsync(services, id)).Version)));
        return id;
    }

    /// <summary>Intake → pool → assigned → collecting: the officer gathers documents.</summary>
    public static async Task<Guid> CollectingAsync(IServiceProvider services, string district, string officer, string lead, decimal amount = 100_000m)
    {
        var receipt = await As(services, "gm", s => s.Get<IntakeService>().SubmitAsync(OriginationTests.Request(district, amount), "WEB", null));
        var id = receipt.Value!.ApplicationId;
        var named = await As(services, "admin", async s =>
        {
            await using var db = await s.Get<ActorContext>().OpenAsync();
            return await db.Users.Where(u => u.UserName == officer).Select(u => u.Id).SingleAsync();
        });
        Ok(await As(services, lead, async s => await s.Get<ApplicationWorkflow>().AssignAsync(id, named, (await LoadAsync(services, id)).Version)));
        Ok(await As(services, officer, async s => await s.Get<ApplicationWorkflow>().StartCollectingAsync(id, (await LoadAsync(services, id)).Version)));
        return id;
    }

    /// <summary>China's business date today: the contract is signed and the loan disbursed on it (never before the approval, never in the future).</summary>
    public static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));

    /// <summary>Final review (by <paramref name="finalReviewer"/>: not the chief who settled a dispute), contract and disbursement today.</summary>
    public static async Task<Guid> ContractAndDisburseAsync(IServiceProvider services, Guid id, string finalReviewer = "chief")
    {
        Ok(await As(services, finalReviewer, async s => await s.Get<ApplicationWorkflow>().ConfirmFinalReviewAsync(id, "同意", (await LoadAsync(services, id)).Version)));
        var contract = await As(services, "finance", async s => await s.Get<ApplicationWorkflow>().SignContractAsync(id, Today, (await LoadAsync(services, id)).Version));
        contract.IsSuccess.ShouldBeTrue(contract.Error?.Message);
        var app = await LoadAsync(services, id);
        var reference = "BANK-" + Guid.NewGuid().ToString("N")[..12];
        var loan = await As(services, "finance", s => s.Get<ApplicationWorkflow>().DisburseAsync(id, Today, app.ApprovedAmount!.Value, "4111111111111111", reference, app.Version));
        loan.IsSuccess.ShouldBeTrue(loan.Error?.Message);
        return id;
    }
}
