using SafeMentor.Contracts;
using SafeMentor.Server.Compliance;
using SafeMentor.Server.Hosting;
using SafeMentor.Server.Mentorships;

namespace SafeMentor.Server.Retention;

/// <summary>A programme's retention policy: in force with its bounds, its history, a dry run, and a coordinator's change.</summary>
internal static partial class RetentionEndpoints
{
    /// <summary>Longest reason a coordinator may give for a change, in characters.</summary>
    public const int MaxReasonLength = 500;

    public static IEndpointRouteBuilder MapRetentionEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet(Routes.Retention, Get).WithName("GetRetention").Answers<RetentionResponse>(200, 401, 403, 404);
        app.MapPut(Routes.Retention, Change).WithName("ChangeRetention").Answers<RetentionResponse>(200, 400, 401, 403, 404);
        app.MapGet(Routes.RetentionHistory, History).WithName("GetRetentionHistory").Answers<List<PolicyVersionDto>>(200, 401, 403, 404);
        app.MapPost(Routes.RetentionPreview, Preview).WithName("PreviewRetention").Answers<RetentionPreviewResponse>(200, 400, 401, 403, 404);
        return app;
    }

    private static async Task<IResult> Get(string programmeId, HttpContext context, ComplianceAccess access, RetentionLedger ledger, RetentionBounds bounds, RetentionSweeper sweeper)
    {
        var caller = context.User.AccountId();
        if (access.CoordinatorOrOfficer(programmeId, caller) is { } refused)
        {
            return refused;
        }

        await access.RecordIfOfficerAsync(programmeId, caller, ComplianceViews.Retention).ConfigureAwait(false);
        return Results.Ok(new RetentionResponse(RetentionLedger.ToDto(ledger.Current(programmeId)), bounds.ToDto(), sweeper.Schedule()));
    }

    private static async Task<IResult> Change(
        string programmeId,
        RetentionChangeRequest request,
        HttpContext context,
        ProgrammeAccess programmes,
        RetentionLedger ledger,
        RetentionBounds bounds,
        RetentionSweeper sweeper,
        ILogger<RetentionLedger> logger)
    {
        var caller = context.User.AccountId();
        if (programmes.Coordinator(programmeId, caller, out _) is { } refused)
        {
            return refused;
        }

        var reason = request?.Reason?.Trim();
        if (request is null || string.IsNullOrEmpty(reason) || reason.Length > MaxReasonLength || reason.Any(char.IsControl))
        {
            return Problems.Of(ErrorCodes.Malformed, $"A change needs the three retention values and a reason of 1 to {MaxReasonLength} printable characters.");
        }

        if ((bounds.Problem(request.UndeliveredRetentionMs, request.ClientHistoryRetentionMs) ?? bounds.AuditProblem(request.AuditRetentionDays)) is { } problem)
        {
            return Problems.Of(ErrorCodes.OutOfBounds, problem);
        }

        var policy = await ledger.ChangeAsync(programmeId, caller, request, reason).ConfigureAwait(false);
        LogChanged(logger, programmeId, policy.Version);
        return Results.Ok(new RetentionResponse(RetentionLedger.ToDto(policy), bounds.ToDto(), sweeper.Schedule()));
    }

    private static async Task<IResult> History(string programmeId, HttpContext context, ComplianceAccess access, RetentionLedger ledger)
    {
        var caller = context.User.AccountId();
        if (access.CoordinatorOrOfficer(programmeId, caller) is { } refused)
        {
            return refused;
        }

        await access.RecordIfOfficerAsync(programmeId, caller, ComplianceViews.History).ConfigureAwait(false);
        return Results.Ok(HistoryOf(ledger, programmeId));
    }

    private static async Task<IResult> Preview(string programmeId, RetentionPreviewRequest request, HttpContext context, ComplianceAccess access, RetentionBounds bounds, EnforcementReport report)
    {
        var caller = context.User.AccountId();
        if (access.CoordinatorOrOfficer(programmeId, caller) is { } refused)
        {
            return refused;
        }

        if (request is null)
        {
            return Problems.Of(ErrorCodes.Malformed, "Expected the proposed undeliveredRetentionMs.");
        }

        if (bounds.Problem(request.UndeliveredRetentionMs, bounds.ToDto().MinClientHistoryRetentionMs) is { } problem)
        {
            return Problems.Of(ErrorCodes.OutOfBounds, problem);
        }

        await access.RecordIfOfficerAsync(programmeId, caller, ComplianceViews.Preview).ConfigureAwait(false);
        return Results.Ok(report.Preview(programmeId, request.UndeliveredRetentionMs));
    }

    /// <summary>The history as the API and the page show it: each version with the values before it.</summary>
    public static List<PolicyVersionDto> HistoryOf(RetentionLedger ledger, string programmeId)
    {
        var versions = ledger.History(programmeId);
        return [.. versions.Select((p, i) => new PolicyVersionDto(
            p.Version,
            p.ChangedBy,
            Storage.StoredTime.ToOffset(p.ChangedAt),
            p.Reason,
            i == 0 ? null : Values(versions[i - 1]),
            Values(p),
            checked((uint)p.GroundRulesVersion)))];
    }

    private static PolicyValuesDto Values(RetentionPolicyDocument p) => new(p.UndeliveredRetentionMs, p.ClientHistoryRetentionMs, p.AuditRetentionDays);

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention policy of programme {ProgrammeId} is now version {Version}")]
    private static partial void LogChanged(ILogger logger, string programmeId, long version);
}
