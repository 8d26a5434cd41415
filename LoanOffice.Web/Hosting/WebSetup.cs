using Scalar.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using LoanOffice.Web.Jobs;
using System.Globalization;
using LoanOffice.Data;
using LoanOffice.Data.Auditing;
using LoanOffice.Data.Identity;
using LoanOffice.Web.Components;
using LoanOffice.Web.Features.Account;
using LoanOffice.Web.Features.Admin;
using LoanOffice.Web.Features.Audit;
using LoanOffice.Web.Features.Calculator;
using LoanOffice.Web.Features.Applications;
using LoanOffice.Web.Features.Servicing;
using LoanOffice.Web.Features.People;
using LoanOffice.Web.Security;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Localization;
using MudBlazor.Services;

namespace LoanOffice.Web.Hosting;

public static class WebSetup
{
    public static IServiceCollection AddLoanOfficeWeb(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        // snackbars at the bottom left, over the menu's empty end: clear of the page's action buttons (the header at the top
        // right, the actions panel in the right column), and gone after a few seconds
        services.AddMudServices(o =>
        {
            o.SnackbarConfiguration.PositionClass = MudBlazor.Defaults.Classes.Position.BottomLeft;
            o.SnackbarConfiguration.VisibleStateDuration = 4000;
        });
        services.AddTransient<MudBlazor.MudLocalizer, MudResourceLocalizer>();
        services.AddLocalization();
        services.AddMemoryCache();
        services.AddHttpContextAccessor();
        // the API's bare status codes (a bearer token without the role, an unknown route) answer problem details with a code
        // a request the endpoint cannot bind answers 400 (problem details below), never an exception page
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = false);
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
        {
            if (ctx.ProblemDetails.Extensions.ContainsKey("code")) return;
            if (ctx.ProblemDetails.Status == StatusCodes.Status400BadRequest)
                ctx.ProblemDetails.Detail ??= ErrorText.Render(Domain.Common.Error.Of(Domain.Common.ErrorCodes.RequestBodyUnreadable));
            ctx.ProblemDetails.Extensions["code"] = ctx.ProblemDetails.Status switch
            {
                // a body that is not JSON (or a parameter of the wrong form): the endpoint never ran
                StatusCodes.Status400BadRequest => Domain.Common.ErrorCodes.RequestBodyUnreadable,
                StatusCodes.Status401Unauthorized => "unauthorized",
                StatusCodes.Status403Forbidden => Domain.Common.ErrorCodes.Forbidden,
                StatusCodes.Status404NotFound => Domain.Common.ErrorCodes.NotFound,
                _ => "http_" + ctx.ProblemDetails.Status,
            };
        });
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");

        // Identity: cookie sign-in, security-stamp revalidation in circuits (every few minutes) and on every cookie request.
        services.Configure<SecuritySettings>(configuration.GetSection("Security"));
        services.Configure<NetworkOptions>(configuration.GetSection("Security"));
        // the client address: X-Forwarded-For only from the configured reverse proxies (none by default: the socket's address)
        services.Configure<Microsoft.AspNetCore.Builder.ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedFor | Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto;
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var proxy in configuration.GetSection("Security:TrustedProxies").Get<string[]>() ?? [])
                o.KnownProxies.Add(System.Net.IPAddress.Parse(proxy));
        });
        services.Configure<Features.Applications.ReviewOptions>(configuration.GetSection("Review"));
        services.Configure<Features.Field.FieldOptions>(configuration.GetSection("Field"));
        services.AddScoped<Features.Field.FieldService>();
        services.Configure<Features.Field.FieldMapOptions>(configuration.GetSection("Field:Map"));
        services.AddScoped<Features.Field.FieldMapQueries>();
        services.AddScoped<Features.Field.FieldDevices>();
        services.AddScoped<Features.Field.FieldTracks>();
        services.AddSingleton<Features.Field.FieldPositions>();
        services.Configure<Features.Field.LeaveOptions>(configuration.GetSection("Field:Leave"));
        services.AddScoped<Features.Field.LeaveService>();
        services.Configure<Features.Field.FieldAlertOptions>(configuration.GetSection("Field:Alerts"));
        services.AddScoped<Features.Field.OfflineAlerts>();
        services.AddScoped<Features.Field.FieldVisits>();
        services.AddScoped<Features.Field.FieldRetention>();
        services.Configure<Features.Applications.CommitteeOptions>(configuration.GetSection("Committee"));
        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, RevalidatingIdentityAuthenticationStateProvider>();
        // the browser signs in with the Identity cookie; integrations send "Authorization: Bearer lo_…" (an access token)
        const string either = "CookieOrAccessToken";
        services.AddAuthentication(o => { o.DefaultScheme = either; o.DefaultChallengeScheme = either; o.DefaultForbidScheme = either; })
            .AddPolicyScheme(either, null, o => o.ForwardDefaultSelector = ctx =>
                ctx.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? AccessTokenHandler.SchemeName : IdentityConstants.ApplicationScheme)
            .AddScheme<AuthenticationSchemeOptions, AccessTokenHandler>(AccessTokenHandler.SchemeName, null)
            .AddIdentityCookies();
        services.AddScoped<AccessTokens>();
        // the data-protection key ring in the database (shared by the nodes), each key encrypted at rest
        Microsoft.AspNetCore.DataProtection.DataProtectionBuilderExtensions.SetApplicationName(services.AddDataProtection(), "LoanOffice");
        services.AddSingleton<Microsoft.Extensions.Options.IConfigureOptions<Microsoft.AspNetCore.DataProtection.KeyManagement.KeyManagementOptions>>(sp =>
            new Microsoft.Extensions.Options.ConfigureOptions<Microsoft.AspNetCore.DataProtection.KeyManagement.KeyManagementOptions>(o =>
            {
                o.XmlRepository = new DatabaseXmlRepository(sp.GetRequiredService<Npgsql.NpgsqlDataSource>());
                o.XmlEncryptor = new AesGcmXmlEncryptor(LoanOffice.Data.Security.Secrets.Key(configuration, LoanOffice.Data.Security.Secrets.DataProtectionKey));
            }));
        services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/account/login";
            o.AccessDeniedPath = "/forbidden";
            o.Cookie.Name = "LoanOffice.Auth";
            // the idle timeout: a session without a request for this long is over (sliding: activity renews it)
            o.ExpireTimeSpan = configuration.GetSection("Security").Get<SecuritySettings>()?.IdleTimeout ?? new SecuritySettings().IdleTimeout;
            o.SlidingExpiration = true;
            o.Events = new CookieAuthenticationEvents
            {
                // APIs answer 401/403 instead of redirecting to a page.
                OnRedirectToLogin = ctx => ApiOrRedirect(ctx.HttpContext, ctx.RedirectUri, StatusCodes.Status401Unauthorized),
                // a refused request is a security event compliance sees (the Audit page, action 访问被拒)
                OnRedirectToAccessDenied = async ctx =>
                {
                    await ctx.HttpContext.RequestServices.GetRequiredService<SecurityAudit>().RecordAsync(SecurityAudit.Forbidden,
                        ctx.HttpContext.User.Identity?.Name ?? "anonymous", new { path = ctx.Request.Path.Value, method = ctx.Request.Method });
                    await ApiOrRedirect(ctx.HttpContext, ctx.RedirectUri, StatusCodes.Status403Forbidden);
                },
                OnValidatePrincipal = SessionValidation.ValidateAsync,
            };
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest; // Secure whenever the site is served over TLS
        });
        services.Configure<Microsoft.AspNetCore.Antiforgery.AntiforgeryOptions>(o => o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
        services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(o => o.AddServerHeader = false);
        services.Configure<SecurityHeaderOptions>(o => o.ExtraImageSources =
            Uri.TryCreate(configuration["Field:Map:TileUrl"]?.Replace("{", "").Replace("}", ""), UriKind.Absolute, out var tiles)
                ? tiles.GetLeftPart(UriPartial.Authority) : string.Empty);
        services.AddLoanOfficeIdentityCore().AddSignInManager().AddDefaultTokenProviders();
        services.AddAuthorization(Policies.Configure);
        // the API's OpenAPI 3.1 document (/openapi/v1.json) and its reader (/api/docs), both for signed-in staff
        services.AddOpenApi("v1", o =>
        {
            o.AddDocumentTransformer<Features.Api.ApiDocumentTransformer>();
            o.AddSchemaTransformer(Features.Api.ApiExamples.SchemaAsync);
            o.AddOperationTransformer(Features.Api.ApiExamples.OperationAsync);
        });

        services.AddScoped<WebAuditContext>();
        services.AddScoped<IAuditContext>(sp => sp.GetRequiredService<WebAuditContext>());
        services.AddScoped<CurrentUser>();
        services.AddScoped<DataScopeService>();
        services.AddScoped<ISignInService, SignInService>();
        services.AddScoped<SecurityAudit>();
        services.Configure<TwoFactorOptions>(configuration.GetSection("Security"));
        services.AddScoped<TwoFactorService>();
        services.AddSingleton<LoginTickets>();

        services.AddScoped<PeopleQueries>();
        services.AddScoped<Features.Account.UserPreferences>();
        services.AddScoped<Features.Home.HomeQueries>();
        services.AddScoped<Features.Home.OpenItems>();
        services.AddScoped<Features.Search.SearchQueries>();
        services.AddScoped<UserAdminService>();
        services.AddScoped<OrganisationService>();
        services.AddScoped<AuditQueries>();
        services.AddSingleton<LoanOffice.Data.Security.PersonalDataProtector>();
        services.AddSingleton<Features.Applications.ApplicationEvents>();
        services.AddHostedService<Features.Applications.ApplicationEventsListener>();
        services.AddLoanOfficeJobs(configuration);
        services.AddLoanOfficeServicing(configuration);
        services.Configure<Features.Reports.Pdf.PdfFontOptions>(configuration.GetSection("Pdf"));
        services.Configure<Features.Reports.CompanyOptions>(configuration.GetSection("Company"));
        services.AddScoped<Features.Reports.ApprovalReportService>();
        services.AddSingleton<Features.Reports.ApprovalReportRenderer>();
        services.AddSingleton<Features.Reports.Pdf.DocumentTerms>();
        services.AddScoped<Features.Reports.LoanDocumentsService>();
        services.AddScoped<Features.Reports.ReportBundleService>();
        services.AddSingleton<Features.Reports.BundleProgress>();
        services.AddScoped<Features.Reports.ComplianceReports>();
        services.AddSingleton(sp => new Features.Reports.Pdf.PdfFonts(
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<Features.Reports.Pdf.PdfFontOptions>>().Value,
            sp.GetRequiredService<ILogger<Features.Reports.Pdf.PdfFonts>>()));
        services.AddScoped<ActorContext>();
        services.AddScoped<Features.Applications.IntakeService>();
        services.AddScoped<Features.Applications.ApplicationWorkflow>();
        services.AddScoped<Features.Applications.ApprovalService>();
        services.AddScoped<Features.Committee.CommitteeService>();
        services.AddScoped<Features.Applications.ApplicationQueries>();
        services.AddScoped<Features.Applications.PersonalDataService>();
        services.AddScoped<Features.Applications.OrganisationQueriesForFilters>();
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(Features.Applications.IntakeEndpoints.RateLimitPolicy, http =>
                System.Threading.RateLimiting.RateLimitPartition.GetFixedWindowLimiter(
                    http.Request.Headers["X-Api-Key"].ToString() is { Length: > 0 } key ? "key:" + key : "ip:" + http.Connection.RemoteIpAddress,
                    _ => new System.Threading.RateLimiting.FixedWindowRateLimiterOptions
                    {
                        PermitLimit = configuration.GetValue("Intake:RequestsPerMinute", 60_000),
                        Window = TimeSpan.FromMinutes(1),
                    }));
        });
        return services;
    }

    private static Task ApiOrRedirect(HttpContext http, string redirectUri, int status)
    {
        if (http.Request.Path.StartsWithSegments("/api"))
        {
            http.Response.StatusCode = status;
            return http.Response.WriteAsJsonAsync(new
            {
                type = "https://tools.ietf.org/html/rfc9110#section-15.5." + (status == 401 ? "2" : "4"),
                title = status == 401 ? "Sign-in required" : "Forbidden",
                status,
            }, options: null, contentType: "application/problem+json");
        }

        http.Response.Redirect(redirectUri);
        return Task.CompletedTask;
    }

    public static WebApplication UseLoanOfficeWeb(this WebApplication app)
    {
        // fail fast: no demo key outside development; PDF documents need the shipped fonts and HarfBuzz's native subsetter
        StartupSecrets.Verify(app.Configuration, app.Environment);
        app.Services.GetRequiredService<Features.Reports.Pdf.PdfFonts>().SelfTest();
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error", createScopeForErrors: true);
        }

        // pages show the not-found page; the API answers problem details (re-executing a POST there would answer 400)
        app.UseWhen(c => !c.Request.Path.StartsWithSegments("/api"), b => b.UseStatusCodePagesWithReExecute("/not-found"));
        app.UseWhen(c => c.Request.Path.StartsWithSegments("/api"), b => b.UseStatusCodePages());
        var cultures = AccountEndpoints.SupportedCultures.Select(c => new CultureInfo(c)).ToList();
        app.UseRequestLocalization(new RequestLocalizationOptions
        {
            DefaultRequestCulture = new RequestCulture("zh-CN"),
            SupportedCultures = cultures,
            SupportedUICultures = cultures,
            RequestCultureProviders = [new CookieRequestCultureProvider(), new AcceptLanguageHeaderRequestCultureProvider()],
        });
        app.UseForwardedHeaders();
        app.UseMiddleware<SecurityHeaders>();
        app.UseAuthentication();
        app.UseMiddleware<CookieCsrfGuard>();
        app.UseMiddleware<InputGuard>();
        app.UseMiddleware<TwoFactorGuard>();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.UseRateLimiter();

        app.MapStaticAssets().AllowAnonymous();
        app.MapHealthChecks("/health").AllowAnonymous();
        app.MapOpenApi("/openapi/{documentName}.json").RequireAuthorization(Policies.Staff);
        app.MapScalarApiReference("/api/docs", o => o.WithTitle("LoanOffice API").WithOpenApiRoutePattern("/openapi/{documentName}.json"))
            .RequireAuthorization(Policies.Staff);
        app.MapAccountEndpoints();
        app.MapPeopleEndpoints();
        app.MapCalculatorEndpoints();
        app.MapIntakeEndpoints();
        app.MapApplicationEndpoints();
        Features.Cockpit.CockpitEndpoints.MapCockpitEndpoints(app);
        Features.Api.LoanApiEndpoints.MapLoanApiEndpoints(app);
        Features.Api.CloseApiEndpoints.MapCloseApiEndpoints(app);
        Features.Field.FieldEndpoints.MapFieldEndpoints(app);
        Features.Field.FieldAppEndpoints.MapFieldAppEndpoints(app);
        Features.Import.ImportEndpoints.MapImportEndpoints(app);
        Features.Api.BankFileApiEndpoints.MapBankFileApiEndpoints(app);
        Features.Reports.ReportEndpoints.MapReportEndpoints(app);
        Features.Audit.AuditEndpoints.MapAuditEndpoints(app);
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
