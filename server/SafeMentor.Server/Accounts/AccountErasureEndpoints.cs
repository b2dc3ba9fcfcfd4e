using SafeMentor.Contracts;
using SafeMentor.Server.Hosting;
using SafeMentor.Server.Retention;

namespace SafeMentor.Server.Accounts;

/// <summary><c>DELETE /v1/accounts/me</c>: the right to erasure, for the signed-in account itself.</summary>
internal static partial class AccountErasureEndpoints
{
    public static IEndpointRouteBuilder MapAccountErasureEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapDelete(Routes.Me, EraseAsync).WithName("EraseMe").Answers<AccountErasureResponse>(200, 401);
        return app;
    }

    private static async Task<IResult> EraseAsync(HttpContext context, AccountErasure erasure, ILogger<AccountErasure> logger)
    {
        if (await erasure.EraseAsync(context.User.AccountId()).ConfigureAwait(false) is not { } erased)
        {
            return Problems.Of(ErrorCodes.Unauthorized, "The account no longer exists.");
        }

        LogErased(logger, erased.Tombstone, erased.MentorshipsEnded, erased.EnvelopesDeleted);
        return Results.Ok(erased);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "An account erased itself (tombstone {Tombstone}); {Ended} mentorships ended, {Envelopes} queued envelopes deleted")]
    private static partial void LogErased(ILogger logger, string tombstone, int ended, int envelopes);
}
