using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.Extensions.Options;
using SafeMentor.Contracts;
using SafeMentor.Protocol.Identity;
using SafeMentor.Server.Hosting;

namespace SafeMentor.Server.Accounts;

/// <summary>Key-based sign-in: challenge, signed answer, bearer and refresh tokens.</summary>
internal static class AuthEndpoints
{
    public static IEndpointRouteBuilder MapAuthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost(Routes.Challenge, IssueChallenge).AllowAnonymous().RequireRateLimiting(RateLimits.Anonymous).WithName("IssueChallenge").Answers<ChallengeResponse>(200, 429);
        app.MapPost(Routes.SignIn, SignIn).AllowAnonymous().RequireRateLimiting(RateLimits.Anonymous).WithName("SignIn").Answers<TokenResponse>(200, 400, 429);
        app.MapPost(Routes.Refresh, Refresh).AllowAnonymous().RequireRateLimiting(RateLimits.Anonymous).WithName("Refresh").Answers<TokenResponse>(200, 400, 401, 429);
        return app;
    }

    private static IResult IssueChallenge(Challenges challenges) => Results.Ok(challenges.Issue());

    private static IResult SignIn(SignInRequest request, Challenges challenges, AccountStore accounts, SignInVerifier verifier)
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

        return Results.SignIn(PrincipalFor(account.Id), authenticationScheme: BearerTokenDefaults.AuthenticationScheme);
    }

    private static IResult Refresh(RefreshRequest request, IOptionsMonitor<BearerTokenOptions> bearerOptions, AccountStore accounts, TimeProvider time)
    {
        if (string.IsNullOrEmpty(request.RefreshToken) || request.RefreshToken.Length > 8192)
        {
            return Problems.Of(ErrorCodes.Malformed, "Expected a refresh token.");
        }

        var protector = bearerOptions.Get(BearerTokenDefaults.AuthenticationScheme).RefreshTokenProtector;
        var ticket = protector.Unprotect(request.RefreshToken);
        var accountId = ticket?.Principal.FindFirstValue(ClaimTypes.NameIdentifier);
        if (ticket?.Properties.ExpiresUtc is not { } expires
            || time.GetUtcNow() >= expires
            || accountId is null
            || !accounts.Exists(accountId))
        {
            return Problems.Of(ErrorCodes.Unauthorized, "The refresh token is invalid or has expired.");
        }

        return Results.SignIn(PrincipalFor(accountId), authenticationScheme: BearerTokenDefaults.AuthenticationScheme);
    }

    private static ClaimsPrincipal PrincipalFor(string accountId)
        => new(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, accountId)], BearerTokenDefaults.AuthenticationScheme));
}
