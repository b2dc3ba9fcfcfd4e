using SafeMentor.Contracts;
using SafeMentor.Protocol;
using SafeMentor.Protocol.Identity;
using SafeMentor.Protocol.Statements;
using SafeMentor.Server.Hosting;
using SafeMentor.Server.Storage;

namespace SafeMentor.Server.Accounts;

/// <summary>Joining with an invite, reading one's own account, redeeming further invites.</summary>
internal static partial class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost(Routes.Accounts, CreateAccount).AllowAnonymous().WithName("CreateAccount").Answers<AccountResponse>(201, 400, 403, 409);
        app.MapGet(Routes.Me, GetMe).WithName("GetMe").Answers<AccountResponse>(200, 401);
        app.MapPost(Routes.RedeemInvite, RedeemInvite).WithName("RedeemInvite").Answers<AccountResponse>(200, 401, 403);
        return app;
    }

    private static IResult CreateAccount(
        CreateAccountRequest request,
        AccountStore accounts,
        InviteService invites,
        ChallengeStore challenges,
        TimeProvider time,
        ILogger<AccountStore> logger)
    {
        var pseudonym = request.Pseudonym?.Trim();
        if (!IsValidPseudonym(pseudonym)
            || !Base64Field.TryDecode(request.IdentitySigningKey, Limits.PublicKeyBytes, out var signingKey)
            || !Base64Field.TryDecode(request.IdentityDhKey, Limits.PublicKeyBytes, out var dhKey)
            || !Base64Field.TryDecode(request.IdentitySignature, Limits.SignatureBytes, out var binding)
            || !Base64Field.TryDecode(request.Nonce, Limits.NonceBytes, out var nonce)
            || !Base64Field.TryDecode(request.NonceSignature, Limits.SignatureBytes, out var nonceSignature))
        {
            return Problems.Of(ErrorCodes.Malformed, "Expected an invite code, a pseudonym of 1 to 64 printable characters, and base64 keys, signatures and nonce of the right lengths.");
        }

        PublicIdentity identity;
        try
        {
            identity = PublicIdentity.Verified(signingKey, dhKey, binding);
        }
        catch (ProtocolException)
        {
            return Problems.Of(ErrorCodes.InvalidSignature, "The identity binding signature does not verify.");
        }

        if (!challenges.TryConsume(nonce)
            || !StatementSigner.Verify(identity, new AuthStatement(identity.AccountId, nonce), nonceSignature))
        {
            return Problems.Of(ErrorCodes.ChallengeInvalid, "The challenge is unknown, used or expired, or its answer does not verify.");
        }

        if (accounts.Exists(identity.AccountId))
        {
            return Problems.Of(ErrorCodes.Conflict, "An account with these identity keys exists; sign in instead.");
        }

        var invite = invites.Peek(request.InviteCode);
        if (invite is null || !invites.TryRedeem(invite))
        {
            return Problems.Of(ErrorCodes.InviteInvalid, "The invite is unknown, used or expired.");
        }

        var now = time.GetUtcNow().UtcDateTime;
        var account = new AccountDocument
        {
            Id = identity.AccountId,
            SigningKey = signingKey,
            DhKey = dhKey,
            BindingSignature = binding,
            Pseudonym = pseudonym!,
            CanCreateProgrammes = invite.ProgrammeId is null,
            CreatedAt = now,
        };
        if (!accounts.TryInsert(account))
        {
            return Problems.Of(ErrorCodes.Conflict, "An account with these identity keys exists; sign in instead.");
        }

        if (invite.ProgrammeId is not null)
        {
            accounts.AddMembership(invite.ProgrammeId, account.Id, invite.Role, now);
        }

        LogAccountCreated(logger, account.Id, invite.Role);
        return Results.Created(Routes.Me, accounts.ToResponse(account));
    }

    private static IResult GetMe(HttpContext context, AccountStore accounts)
    {
        var account = accounts.Find(context.User.AccountId());
        return account is null
            ? Problems.Of(ErrorCodes.Unauthorized, "The account no longer exists.")
            : Results.Ok(accounts.ToResponse(account));
    }

    private static IResult RedeemInvite(RedeemInviteRequest request, HttpContext context, AccountStore accounts, InviteService invites, TimeProvider time)
    {
        var account = accounts.Find(context.User.AccountId());
        if (account is null)
        {
            return Problems.Of(ErrorCodes.Unauthorized, "The account no longer exists.");
        }

        var invite = invites.Peek(request.InviteCode);
        if (invite is null || !invites.TryRedeem(invite))
        {
            return Problems.Of(ErrorCodes.InviteInvalid, "The invite is unknown, used or expired.");
        }

        if (invite.ProgrammeId is null)
        {
            account.CanCreateProgrammes = true;
            accounts.Update(account);
        }
        else
        {
            accounts.AddMembership(invite.ProgrammeId, account.Id, invite.Role, time.GetUtcNow().UtcDateTime);
        }

        return Results.Ok(accounts.ToResponse(account));
    }

    internal static bool IsValidPseudonym(string? pseudonym)
        => !string.IsNullOrEmpty(pseudonym)
            && pseudonym.Length <= Limits.MaxPseudonymLength
            && !pseudonym.Any(char.IsControl);

    [LoggerMessage(Level = LogLevel.Information, Message = "Account {AccountId} created with role {Role}")]
    private static partial void LogAccountCreated(ILogger logger, string accountId, string role);
}
