using SafeMentor.Contracts;
using SafeMentor.Protocol.Identity;
using SafeMentor.Server.Hosting;

namespace SafeMentor.Server.Accounts;

/// <summary>Key-based sign-in: challenge, signed answer, bearer and refresh tokens; and signing out.</summary>
internal static class AuthEndpoints
{
    public static IEndpointRouteBuilder MapAuthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost(Routes.Challenge, IssueChallenge).AllowAnonymous().RequireRateLimiting(RateLimits.Anonymous).WithName("IssueChallenge").Answers<ChallengeResponse>(200, 429);
        app.MapPost(Routes.SignIn, SignIn).AllowAnonymous().RequireRateLimiting(RateLimits.Anonymous).WithName("SignIn").Answers<TokenResponse>(200, 400, 403, 429);
        app.MapPost(Routes.Refresh, Refresh).AllowAnonymous().RequireRateLimiting(RateLimits.Anonymous).WithName("Refresh").Answers<TokenResponse>(200, 400, 401, 429);
        app.MapPost(Routes.SignOut, SignOut).WithName("SignOut").Produces(StatusCodes.Status204NoContent).ProducesProblem(401);
        app.MapPost(Routes.SignOutEverywhere, SignOutEverywhere).WithName("SignOutEverywhere").Produces(StatusCodes.Status204NoContent).ProducesProblem(401);
        return app;
    }

    private static IResult IssueChallenge(Challenges challenges) => Results.Ok(challenges.Issue());

    private static async Task<IResult> SignIn(SignInRequest request, Challenges challenges, AccountStore accounts, SignInVerifier verifier, SignIns signIns)
    {
        if (!AccountId.IsWellFormed(request.AccountId)
            || !Base64Field.TryDecode(request.Nonce, Limits.NonceBytes, out var nonce)
            || !Base64Field.TryDecode(request.Signature, Limits.SignatureBytes, out var signature))
        {
            return Problems.Of(ErrorCodes.Malformed, "Expected an account id, a base64 32-byte nonce and a base64 64-byte signature.");
        }

        // The challenge is used up first, so a wrong answer cannot be retried against the same nonce. The answer is
        // verified whether or not the challenge and the account are good, so every failure takes the same path.
        var fresh = challenges.TryConsume(nonce);
        var account = accounts.Find(request.AccountId);
        var answered = verifier.Verify(account?.SigningKey, request.AccountId, nonce, signature);
        if (!fresh || account is null || !answered)
        {
            return Problems.Of(ErrorCodes.ChallengeInvalid, "The challenge is unknown, used or expired, or its answer does not verify.");
        }

        // Only the holder of the identity key learns that the account is suspended.
        return await signIns.BeginAsync(account.Id).ConfigureAwait(false) is { } tokens
            ? Results.Ok(tokens)
            : Problems.Of(ErrorCodes.AccountSuspended, "A coordinator has suspended this account.");
    }

    private static async Task<IResult> Refresh(RefreshRequest request, SignIns signIns)
        => await signIns.RefreshAsync(request.RefreshToken).ConfigureAwait(false) is { } tokens
            ? Results.Ok(tokens)
            : Problems.Of(ErrorCodes.Unauthorized, "The refresh token is invalid, expired, revoked or already used; sign in again.");

    private static async Task<IResult> SignOut(HttpContext context, SignIns signIns)
    {
        if (context.User.FindFirst(AccountSecurity.SignInIdClaim)?.Value is { } signInId)
        {
            await signIns.SignOutAsync(context.User.AccountId(), signInId).ConfigureAwait(false);
        }

        return Results.NoContent();
    }

    private static async Task<IResult> SignOutEverywhere(HttpContext context, SignIns signIns)
    {
        await signIns.SignOutEverywhereAsync(context.User.AccountId()).ConfigureAwait(false);
        return Results.NoContent();
    }
}
