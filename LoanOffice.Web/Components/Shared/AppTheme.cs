using MudBlazor;

namespace LoanOffice.Web.Components.Shared;

public static class AppTheme
{
    private static readonly string[] FontStack =
        ["\"Noto Sans SC\"", "\"Noto Sans CJK SC\"", "\"PingFang SC\"", "\"Microsoft YaHei\"", "system-ui", "-apple-system", "\"Segoe UI\"", "Arial", "sans-serif"];

    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1d4e89",
            Secondary = "#00897b",
            AppbarBackground = "#1d4e89",
            Background = "#f4f6f9",
            DrawerBackground = "#ffffff",
            TextPrimary = "#1f2933",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = FontStack },
            H1 = new H1Typography { FontFamily = FontStack },
            H2 = new H2Typography { FontFamily = FontStack },
            H3 = new H3Typography { FontFamily = FontStack },
            H4 = new H4Typography { FontFamily = FontStack },
            H5 = new H5Typography { FontFamily = FontStack },
            H6 = new H6Typography { FontFamily = FontStack },
            Button = new ButtonTypography { FontFamily = FontStack },
            Body1 = new Body1Typography { FontFamily = FontStack },
            Body2 = new Body2Typography { FontFamily = FontStack },
        },
        LayoutProperties = new LayoutProperties { DrawerWidthLeft = "232px" },
    };
}
