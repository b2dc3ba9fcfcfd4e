using SafeMentor.Contracts;
using SafeMentor.Protocol;
using SafeMentor.Protocol.Identity;
using SafeMentor.Protocol.Statements;
using SafeMentor.Server.Hosting;
using SafeMentor.Server.Keys;
using SafeMentor.Server.Storage;

namespace SafeMentor.Server.Accounts;

/// <summary>Joining with an invite, reading one's own account, redeeming further invites.</summary>
internal static partial class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost(Routes.Accounts, CreateAccount).AllowAnonymous().RequireRateLimiting(RateLimits.Anonymous).WithName("CreateAccount").Answers<AccountResponse>(201, 400, 403, 409, 413, 429);
        app.MapGet(Routes.Me, GetMe).WithName("GetMe").Answers<AccountResponse>(200, 401);
        app.MapPost(Routes.RedeemInvite, RedeemInvite).RequireRateLimiting(RateLimits.InviteRedemption).WithName("RedeemInvite").Answers<AccountResponse>(200, 400, 401, 403, 429);
        return app;
    }

    private static async Task<IResult> CreateAccount(
        CreateAccountRequest request,
        AccountStore accounts,
        InviteService invites,
        Challenges challenges,
        StorageWriter writer,
        TimeProvider time,
        ILogger<AccountStore> logger)
    {
        var pseudonym = request.Pseudonym?.Trim();
        if (!WireText.IsName(pseudonym, Limits.MaxPseudonymLength)
            || !Base64Field.TryDecode(request.IdentitySigningKey, Limits.PublicKeyBytes, out var signingKey)
            || !Base64Field.TryDecode(request.IdentityDhKey, Limits.PublicKeyBytes, out var dhKey)
            || !Base64Field.TryDecode(request.IdentitySignature, Limits.SignatureBytes, out var binding)
            || !Base64Field.TryDecode(request.Nonce, Limits.NonceBytes, out var nonce)
            || !Base64Field.TryDecode(request.NonceSignature, Limits.SignatureBytes, out var nonceSignature))
        {
            return Problems.Of(ErrorCodes.Malformed, "Expected an invite code, a pseudonym of 1 to 64 printable characters, and base64 keys, signatures and nonce of the right lengths.");
        }

        if (X25519PublicKeys.IsLowOrder(dhKey))
        {
            return Problems.Of(ErrorCodes.Malformed, "The identity DH key is a point of small order.");
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

        var account = new AccountDocument
        {
            Id = identity.AccountId,
            SigningKey = signingKey,
            DhKey = dhKey,
            BindingSignature = binding,
            Pseudonym = pseudonym!,
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };

        // One change: the account does not exist yet, the invite is good and is used up, the account and its role
        // are stored. Applied one at a time by the writer, so two joins can never share an invite or an id.
        var outcome = await writer.WriteAsync(scope =>
        {
            var stored = scope.Collection<AccountDocument>(Collections.Accounts);
            if (stored.FindById(account.Id) is not null)
            {
                return (Code: ErrorCodes.Conflict, Role: "");
            }

            if (invites.Redeem(scope, request.InviteCode) is not { } invite)
            {
                return (Code: ErrorCodes.InviteInvalid, Role: "");
            }

            account.CanCreateProgrammes = invite.ProgrammeId is null;
            stored.Insert(account);
            if (invite.ProgrammeId is not null)
            {
                AccountStore.AddMembership(scope, invite.ProgrammeId, account.Id, invite.Role, account.CreatedAt);
            }

            return (Code: (string?)null, Role: invite.Role);
        }).ConfigureAwait(false);

        switch (outcome.Code)
        {
            case ErrorCodes.Conflict:
                return Problems.Of(ErrorCodes.Conflict, "An account with these identity keys exists; sign in instead.");
            case ErrorCodes.InviteInvalid:
                return Problems.Of(ErrorCodes.InviteInvalid, "The invite is unknown, used or expired.");
        }

        LogAccountCreated(logger, account.Id, outcome.Role);
        return Results.Created(Routes.Me, accounts.ToResponse(account));
    }

    private static IResult GetMe(HttpContext context, AccountStore accounts)
    {
        var account = accounts.Find(context.User.AccountId());
        return account is null
            ? Problems.Of(ErrorCodes.Unauthorized, "The account no longer exists.")
            : Results.Ok(accounts.ToResponse(account));
    }

    private static async Task<IResult> RedeemInvite(RedeemInviteRequest request, HttpContext context, AccountStore accounts, InviteService invites, StorageWriter writer, TimeProvider time)
    {
        var accountId = context.User.AccountId();
        var redeemed = await writer.WriteAsync(scope =>
        {
            var collection = scope.Collection<AccountDocument>(Collections.Accounts);
            if (collection.FindById(accountId) is not { } account)
            {
                return ErrorCodes.Unauthorized;
            }

            if (invites.Redeem(scope, request.InviteCode) is not { } invite)
            {
                return ErrorCodes.InviteInvalid;
            }

            if (invite.ProgrammeId is null)
            {
                account.CanCreateProgrammes = true;
                collection.Update(account);
            }
            else
            {
                AccountStore.AddMembership(scope, invite.ProgrammeId, account.Id, invite.Role, time.GetUtcNow().UtcDateTime);
            }

            return null;
        }).ConfigureAwait(false);

        return redeemed switch
        {
            ErrorCodes.Unauthorized => Problems.Of(ErrorCodes.Unauthorized, "The account no longer exists."),
            ErrorCodes.InviteInvalid => Problems.Of(ErrorCodes.InviteInvalid, "The invite is unknown, used or expired."),
            _ => Results.Ok(accounts.ToResponse(accounts.Find(accountId)!)),
        };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Account {AccountId} created with role {Role}")]
    private static partial void LogAccountCreated(ILogger logger, string accountId, string role);
}
