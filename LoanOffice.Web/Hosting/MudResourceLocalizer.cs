using LoanOffice.Web.Resources;
using Microsoft.Extensions.Localization;
using MudBlazor;

namespace LoanOffice.Web.Hosting;

/// <summary>MudBlazor's built-in texts (pager, date picker, …) from the app's resources, key "Mud.&lt;MudBlazor key&gt;".</summary>
public sealed class MudResourceLocalizer(IStringLocalizer<SharedResource> localizer) : MudLocalizer
{
    public override LocalizedString this[string key]
    {
        get
        {
            var text = localizer["Mud." + key];
            return text.ResourceNotFound ? new LocalizedString(key, key, resourceNotFound: true) : new LocalizedString(key, text.Value);
        }
    }
}
