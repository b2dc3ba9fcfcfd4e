using Microsoft.Extensions.Options;

namespace SafeMentor.Server.Compliance;

internal static class ComplianceExtensions
{
    /// <summary>The compliance officer's read models, the page's sign-in links and its cookie session.</summary>
    public static WebApplicationBuilder AddCompliance(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ComplianceOptions>()
            .BindConfiguration(ComplianceOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<ComplianceAccess>();
        builder.Services.AddSingleton<AuditExporter>();
        builder.Services.AddSingleton<ComplianceRegister>();
        builder.Services.AddSingleton<PageLinks>();
        builder.Services.AddSingleton<PageModel>();
        builder.Services.AddAuthentication().AddCookie(CompliancePageEndpoints.Scheme);
        builder.Services.AddOptions<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions>(CompliancePageEndpoints.Scheme)
            .Configure<IOptions<ComplianceOptions>>((cookie, compliance) => CompliancePageEndpoints.ConfigureCookie(cookie, compliance.Value.PageSessionMinutes));
        return builder;
    }

    /// <summary>The compliance API and the page at <c>/compliance</c>.</summary>
    public static IEndpointRouteBuilder MapComplianceEndpoints(this IEndpointRouteBuilder app)
        => app.MapComplianceApi().MapCompliancePage();
}
