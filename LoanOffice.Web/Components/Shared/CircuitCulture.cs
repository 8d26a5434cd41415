using System.Globalization;

namespace LoanOffice.Web.Components.Shared;

/// <summary>
/// The circuit's language, captured when a component starts. Callbacks from background threads (PostgreSQL
/// notifications) run with the thread's culture; <see cref="Apply"/> restores the user's before re-rendering.
/// </summary>
public readonly struct CircuitCulture
{
    private readonly CultureInfo _culture;
    private readonly CultureInfo _uiCulture;

    private CircuitCulture(CultureInfo culture, CultureInfo uiCulture)
    {
        _culture = culture;
        _uiCulture = uiCulture;
    }

    public static CircuitCulture Capture() => new(CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);

    public void Apply()
    {
        CultureInfo.CurrentCulture = _culture;
        CultureInfo.CurrentUICulture = _uiCulture;
    }
}
