using SafeMentor.Contracts;
using SafeMentor.Server.Audit;
using SafeMentor.Server.Hosting;
using SafeMentor.Server.Retention;

namespace SafeMentor.Server.Compliance;

/// <summary>
/// The compliance officer's read-only API: deletion receipts, the enforcement report, the consent and export
/// register, the audit export; the server's checkpoint key (anonymous); and sign-in links for the page. Every
/// read is recorded in the audit chain before it is answered; other roles are refused.
/// </summary>
internal static class ComplianceEndpoints
{
    public static IEndpointRouteBuilder MapComplianceApi(this IEndpointRouteBuilder app)
    {
        app.MapGet(Routes.DeletionReceipts, Receipts).WithName("GetDeletionReceipts").Answers<DeletionReceiptsResponse>(200, 401, 403, 404);
        app.MapGet(Routes.EnforcementReport, Enforcement).WithName("GetEnforcementReport").Answers<EnforcementReportDto>(200, 401, 403, 404);
        app.MapGet(Routes.ComplianceRegister, Register).WithName("GetComplianceRegister").Answers<RegisterResponse>(200, 401, 403, 404);
        app.MapGet(Routes.AuditExport, Export).WithName("ExportAudit").Answers<AuditExportDto>(200, 401, 403, 404);
        app.MapGet(Routes.AuditServerKey, ServerKey).AllowAnonymous().RequireRateLimiting(RateLimits.Anonymous).WithName("GetAuditServerKey").Answers<AuditServerKeyResponse>(200, 429);
        app.MapPost(Routes.CompliancePageLinks, IssuePageLink).WithName("IssueCompliancePageLink").Answers<PageLinkResponse>(201, 400, 401, 403, 404);
        return app;
    }

    private static async Task<IResult> Receipts(string programmeId, HttpContext context, ComplianceAccess access, ComplianceRegister register)
        => await ReadAsync(programmeId, context, access, ComplianceViews.Receipts, () => register.Receipts(programmeId)).ConfigureAwait(false);

    private static async Task<IResult> Enforcement(string programmeId, HttpContext context, ComplianceAccess access, EnforcementReport report)
        => await ReadAsync(programmeId, context, access, ComplianceViews.Enforcement, () => report.For(programmeId)).ConfigureAwait(false);

    private static async Task<IResult> Register(string programmeId, HttpContext context, ComplianceAccess access, ComplianceRegister register)
        => await ReadAsync(programmeId, context, access, ComplianceViews.Register, () => register.Register(programmeId)).ConfigureAwait(false);

    private static async Task<IResult> Export(string programmeId, HttpContext context, ComplianceAccess access, AuditExporter exporter)
    {
        var caller = context.User.AccountId();
        return access.Officer(programmeId, caller) is { } refused
            ? refused
            : Results.Ok(await exporter.ExportAsync(programmeId, caller, ComplianceViews.AuditExport).ConfigureAwait(false));
    }

    private static IResult ServerKey(AuditKey key) => Results.Ok(new AuditServerKeyResponse("Ed25519", Convert.ToBase64String(key.PublicKey)));

    private static async Task<IResult> IssuePageLink(PageLinkRequest request, HttpContext context, ComplianceAccess access, PageLinks links)
    {
        if (request?.ProgrammeId is not { Length: > 0 and <= 100 } programmeId)
        {
            return Problems.Of(ErrorCodes.Malformed, "Expected the programme id the page is for.");
        }

        var caller = context.User.AccountId();
        if (access.Officer(programmeId, caller) is { } refused)
        {
            return refused;
        }

        await access.RecordReadAsync(programmeId, caller, ComplianceViews.PageLink).ConfigureAwait(false);
        return Results.Created((string?)null, await links.IssueAsync(caller, programmeId).ConfigureAwait(false));
    }

    private static async Task<IResult> ReadAsync<T>(string programmeId, HttpContext context, ComplianceAccess access, string view, Func<T> read)
    {
        var caller = context.User.AccountId();
        if (access.Officer(programmeId, caller) is { } refused)
        {
            return refused;
        }

        await access.RecordReadAsync(programmeId, caller, view).ConfigureAwait(false);
        return Results.Ok(read());
    }
}
