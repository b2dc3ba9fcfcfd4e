using SafeMentor.Contracts;

namespace SafeMentor.Server.Hosting;

/// <summary>
/// RFC 9457 problem details carrying a stable <c>code</c>. Endpoints return these for refusals they decide;
/// <see cref="ProblemDetailsExtensions"/> gives framework-made errors (401, 404, 429...) the same shape.
/// </summary>
internal static class Problems
{
    public static IResult Of(string code, string detail, int? status = null) => Results.Problem(
        statusCode: status ?? StatusFor(code),
        title: TitleFor(code),
        detail: detail,
        extensions: new Dictionary<string, object?> { ["code"] = code });

    public static int StatusFor(string code) => code switch
    {
        ErrorCodes.Malformed or ErrorCodes.InvalidSignature or ErrorCodes.ChallengeInvalid or ErrorCodes.OutOfBounds => StatusCodes.Status400BadRequest,
        ErrorCodes.Unauthorized => StatusCodes.Status401Unauthorized,
        ErrorCodes.Forbidden or ErrorCodes.NotAParty or ErrorCodes.InviteInvalid or ErrorCodes.ExportNotAllowed
            or ErrorCodes.AccountSuspended => StatusCodes.Status403Forbidden,
        ErrorCodes.NotFound or ErrorCodes.NoPrekeys => StatusCodes.Status404NotFound,
        ErrorCodes.Conflict or ErrorCodes.ConsentRequired or ErrorCodes.MentorshipEnded or ErrorCodes.GroundRulesMismatch
            or ErrorCodes.ExportConsentExpired or ErrorCodes.ExportOutOfRange => StatusCodes.Status409Conflict,
        ErrorCodes.TooLarge => StatusCodes.Status413PayloadTooLarge,
        ErrorCodes.RateLimited or ErrorCodes.QueueFull or ErrorCodes.TooManyConnections => StatusCodes.Status429TooManyRequests,
        _ => StatusCodes.Status503ServiceUnavailable,
    };

    public static string CodeForStatus(int status) => status switch
    {
        StatusCodes.Status400BadRequest or StatusCodes.Status411LengthRequired or StatusCodes.Status415UnsupportedMediaType => ErrorCodes.Malformed,
        StatusCodes.Status401Unauthorized => ErrorCodes.Unauthorized,
        StatusCodes.Status403Forbidden => ErrorCodes.Forbidden,
        StatusCodes.Status404NotFound or StatusCodes.Status405MethodNotAllowed => ErrorCodes.NotFound,
        StatusCodes.Status409Conflict => ErrorCodes.Conflict,
        StatusCodes.Status413PayloadTooLarge or StatusCodes.Status414UriTooLong or StatusCodes.Status431RequestHeaderFieldsTooLarge => ErrorCodes.TooLarge,
        StatusCodes.Status429TooManyRequests => ErrorCodes.RateLimited,
        _ => ErrorCodes.Unavailable,
    };

    private static string TitleFor(string code) => code switch
    {
        ErrorCodes.Malformed => "Malformed request",
        ErrorCodes.InvalidSignature => "Signature does not verify",
        ErrorCodes.ChallengeInvalid => "Challenge invalid",
        ErrorCodes.Unauthorized => "Unauthorized",
        ErrorCodes.Forbidden => "Forbidden",
        ErrorCodes.NotAParty => "Not a party",
        ErrorCodes.InviteInvalid => "Invite invalid",
        ErrorCodes.NotFound => "Not found",
        ErrorCodes.NoPrekeys => "No prekeys",
        ErrorCodes.Conflict => "Conflict",
        ErrorCodes.ConsentRequired => "Consent required",
        ErrorCodes.MentorshipEnded => "Mentorship ended",
        ErrorCodes.GroundRulesMismatch => "Ground rules mismatch",
        ErrorCodes.TooLarge => "Too large",
        ErrorCodes.RateLimited => "Rate limited",
        ErrorCodes.QueueFull => "Queue full",
        ErrorCodes.ExportNotAllowed => "Export not allowed",
        ErrorCodes.ExportConsentExpired => "Export consent expired",
        ErrorCodes.ExportOutOfRange => "Export out of range",
        ErrorCodes.OutOfBounds => "Outside the server's bounds",
        ErrorCodes.AccountSuspended => "Account suspended",
        ErrorCodes.TooManyConnections => "Too many connections",
        _ => "Unavailable",
    };
}
