using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using SafeMentor.Server.Audit;
using SafeMentor.Server.Hosting;
using SafeMentor.Server.Retention;

namespace SafeMentor.Server.Compliance;

/// <summary>
/// The compliance page at <c>/compliance</c>: the same views as the API, read-only, server-rendered HTML without
/// scripts. There is no password: an officer opens a single-use link (asked for through the API with their key),
/// which starts a short cookie session (HttpOnly, SameSite=Strict, Secure over HTTPS) for one programme.
/// </summary>
internal static class CompliancePageEndpoints
{
    public const string Scheme = "SafeMentor.CompliancePage";
    public const string Path = "/compliance";
    public const string ProgrammeClaim = "programme";

    public static IEndpointRouteBuilder MapCompliancePage(this IEndpointRouteBuilder app)
    {
        var session = new AuthorizationPolicyBuilder(Scheme).RequireAuthenticatedUser().Build();
        app.MapGet(Path + "/style.css", () => Results.Text(CompliancePage.Stylesheet, "text/css")).AllowAnonymous().RequireRateLimiting(RateLimits.Anonymous).ExcludeFromDescription();
        app.MapGet(PageLinks.SignInPath, SignInForm).AllowAnonymous().RequireRateLimiting(RateLimits.Anonymous).ExcludeFromDescription();
        app.MapPost(PageLinks.SignInPath, SignInAsync).AllowAnonymous().RequireRateLimiting(RateLimits.Anonymous).DisableAntiforgery().ExcludeFromDescription();
        app.MapPost(Path + "/sign-out", (Func<HttpContext, Task<IResult>>)SignOutAsync).RequireAuthorization(session).DisableAntiforgery().ExcludeFromDescription();
        app.MapGet(Path, ShowAsync).RequireAuthorization(session).ExcludeFromDescription();
        app.MapGet(Path + "/verify", VerifyAsync).RequireAuthorization(session).ExcludeFromDescription();
        return app;
    }

    /// <summary>The cookie session of the page: a challenge answers with the "use a sign-in link" page, never a redirect.</summary>
    public static void ConfigureCookie(CookieAuthenticationOptions options, int sessionMinutes)
    {
        options.Cookie.Name = "sm_compliance";
        options.Cookie.HttpOnly = true;
        options.Cookie.SameSite = SameSiteMode.Strict;
        options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        options.Cookie.Path = Path;
        options.ExpireTimeSpan = TimeSpan.FromMinutes(sessionMinutes);
        options.SlidingExpiration = false;
        options.Events.OnRedirectToLogin = context => WriteAsync(context.HttpContext, StatusCodes.Status401Unauthorized, CompliancePage.Message("Sign in", "Sign in with a link", "This page needs a sign-in link. Ask the relay for one with your key (see docs/compliance.md) and open it here."));
        options.Events.OnRedirectToAccessDenied = context => WriteAsync(context.HttpContext, StatusCodes.Status403Forbidden, CompliancePage.Message("Forbidden", "Not allowed", "This session may not see this page."));
    }

    private static IResult SignInForm(HttpContext context)
    {
        var token = context.Request.Query["token"].ToString();
        return Html(StatusCodes.Status200OK, CompliancePage.SignIn(token));
    }

    private static async Task<IResult> SignInAsync(HttpContext context, PageLinks links, ComplianceAccess access, TimeProvider time, Microsoft.Extensions.Options.IOptions<ComplianceOptions> options)
    {
        var form = await context.Request.ReadFormAsync().ConfigureAwait(false);
        var link = await links.RedeemAsync(form["token"].ToString()).ConfigureAwait(false);
        if (link is null || !access.IsOfficer(link.ProgrammeId, link.AccountId))
        {
            return Html(StatusCodes.Status400BadRequest, CompliancePage.Message("Sign-in link not valid", "This sign-in link cannot be used", "It is unknown, already used or expired. Ask for a new one."));
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, link.AccountId), new Claim(ProgrammeClaim, link.ProgrammeId)], Scheme));
        await context.SignInAsync(Scheme, principal, new AuthenticationProperties
        {
            IssuedUtc = time.GetUtcNow(),
            ExpiresUtc = time.GetUtcNow().AddMinutes(options.Value.PageSessionMinutes),
        }).ConfigureAwait(false);
        return Results.Redirect(Path, permanent: false, preserveMethod: false);
    }

    private static async Task<IResult> SignOutAsync(HttpContext context)
    {
        await context.SignOutAsync(Scheme).ConfigureAwait(false);
        return Html(StatusCodes.Status200OK, CompliancePage.Message("Signed out", "Signed out", "You are signed out of the compliance page."));
    }

    private static async Task<IResult> ShowAsync(HttpContext context, PageModel model)
    {
        var (officer, programmeId) = Session(context);
        if (model.Refuse(officer, programmeId) is { } refused)
        {
            return refused;
        }

        await model.Access.RecordReadAsync(programmeId, officer, ComplianceViews.Page).ConfigureAwait(false);
        return Html(StatusCodes.Status200OK, CompliancePage.Render(model.Build(programmeId), verification: null));
    }

    private static async Task<IResult> VerifyAsync(HttpContext context, PageModel model, AuditExporter exporter, AuditKey key)
    {
        var (officer, programmeId) = Session(context);
        if (model.Refuse(officer, programmeId) is { } refused)
        {
            return refused;
        }

        var export = await exporter.ExportAsync(programmeId, officer, ComplianceViews.PageVerification).ConfigureAwait(false);
        var result = AuditExporter.Verify(export, key.PublicKey);
        return Html(StatusCodes.Status200OK, CompliancePage.Render(model.Build(programmeId), result));
    }

    private static (string Officer, string ProgrammeId) Session(HttpContext context)
        => (context.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? "", context.User.FindFirstValue(ProgrammeClaim) ?? "");

    internal static IResult Html(int status, string html) => new HtmlResult(status, html);

    private static Task WriteAsync(HttpContext context, int status, string html) => new HtmlResult(status, html).ExecuteAsync(context);

    /// <summary>A page with headers that keep it to itself: no scripts, no framing, no referrer (links carry tokens), no caching.</summary>
    private sealed class HtmlResult(int status, string html) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            var headers = httpContext.Response.Headers;
            headers.ContentSecurityPolicy = "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            headers.CacheControl = "no-store";
            httpContext.Response.StatusCode = status;
            httpContext.Response.ContentType = "text/html; charset=utf-8";
            return httpContext.Response.WriteAsync(html);
        }
    }
}

/// <summary>What the page shows, gathered from the same read models as the API.</summary>
internal sealed class PageModel(ComplianceAccess access, RetentionLedger ledger, RetentionBounds bounds, EnforcementReport report, ComplianceRegister register, AuditKey key, Mentorships.ProgrammeStore programmes)
{
    public ComplianceAccess Access => access;

    /// <summary>The session's officer must still hold the role (it may have been removed, or the account erased).</summary>
    public IResult? Refuse(string officer, string programmeId)
        => access.Officer(programmeId, officer) is null
            ? null
            : CompliancePageEndpoints.Html(StatusCodes.Status403Forbidden, CompliancePage.Message("Not allowed", "Not allowed", "The account of this session is no longer a compliance officer of this programme."));

    public CompliancePage.Views Build(string programmeId) => new(
        programmes.Find(programmeId)?.Name ?? programmeId,
        programmeId,
        RetentionLedger.ToDto(ledger.Current(programmeId)),
        bounds.ToDto(),
        RetentionEndpoints.HistoryOf(ledger, programmeId),
        register.Receipts(programmeId),
        report.For(programmeId),
        register.Register(programmeId),
        Convert.ToBase64String(key.PublicKey));
}
