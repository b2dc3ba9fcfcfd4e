using Microsoft.Extensions.Options;
using SafeMentor.Contracts;
using SafeMentor.Protocol;
using SafeMentor.Protocol.Identity;
using SafeMentor.Protocol.Prekeys;
using SafeMentor.Server.Accounts;
using SafeMentor.Server.Hosting;
using SafeMentor.Server.Mentorships;

namespace SafeMentor.Server.Keys;

/// <summary>The prekey directory: uploads, the count, and bundles for counterparts.</summary>
internal static class KeyEndpoints
{
    public static IEndpointRouteBuilder MapKeyEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPut(Routes.Prekeys, Upload).WithName("UploadPrekeys").Answers<PrekeyCountResponse>(200, 400, 401, 409, 413);
        app.MapGet(Routes.PrekeyCount, Count).WithName("CountPrekeys").Answers<PrekeyCountResponse>(200, 401);
        app.MapGet(Routes.Bundle, Bundle).WithName("GetPrekeyBundle").RequireRateLimiting(RateLimits.Bundles)
            .Answers<PrekeyBundleResponse>(200, 400, 401, 403, 404, 429);
        return app;
    }

    private static async Task<IResult> Upload(UploadPrekeysRequest request, HttpContext context, AccountStore accounts, PrekeyDirectory directory, IOptions<KeysOptions> options, TimeProvider time)
    {
        var account = accounts.Find(context.User.AccountId());
        if (account is null)
        {
            return Problems.Of(ErrorCodes.Unauthorized, "The account no longer exists.");
        }

        var oneTime = request.OneTimePrekeys ?? [];
        if (oneTime.Count > Limits.MaxOneTimePrekeysPerUpload)
        {
            return Problems.Of(ErrorCodes.TooLarge, $"At most {Limits.MaxOneTimePrekeysPerUpload} one-time prekeys per upload.");
        }

        var decoded = new Dictionary<uint, byte[]>();
        foreach (var key in oneTime)
        {
            if (key is null || key.Id == ProtocolConstants.NoOneTimePrekey
                || !Base64Field.TryDecode(key.PublicKey, Limits.PublicKeyBytes, out var publicKey)
                || X25519PublicKeys.IsLowOrder(publicKey)
                || !decoded.TryAdd(key.Id, publicKey))
            {
                return Problems.Of(ErrorCodes.Malformed, "One-time prekeys need unique ids (never 4294967295) and 32-byte base64 public keys that are not points of small order.");
            }
        }

        byte[]? signedKey = null, signedSignature = null;
        if (request.SignedPrekey is { } signed
            && (!Base64Field.TryDecode(signed.PublicKey, Limits.PublicKeyBytes, out signedKey)
                || !Base64Field.TryDecode(signed.Signature, Limits.SignatureBytes, out signedSignature)
                || X25519PublicKeys.IsLowOrder(signedKey)))
        {
            return Problems.Of(ErrorCodes.Malformed, "A signed prekey needs a 32-byte base64 public key that is not a point of small order and a 64-byte base64 signature.");
        }

        if (request.SignedPrekey is null && directory.SignedPrekeyOf(account.Id) is null)
        {
            return Problems.Of(ErrorCodes.Malformed, "The first upload must include a signed prekey.");
        }

        // The identity binding was verified when the account joined; the stored signing key is enough here.
        if (request.SignedPrekey is { } toVerify)
        {
            if (!SignedPrekeys.Verify(account.SigningKey, toVerify.Id, signedKey, signedSignature))
            {
                return Problems.Of(ErrorCodes.InvalidSignature, "The signed prekey's signature does not verify with the registered identity key.");
            }
        }

        var signedDocument = request.SignedPrekey is { } accepted
            ? new SignedPrekeyDocument
            {
                Id = account.Id,
                KeyId = accepted.Id,
                PublicKey = signedKey!,
                Signature = signedSignature!,
                UploadedAt = time.GetUtcNow().UtcDateTime,
            }
            : null;
        switch (await directory.UploadAsync(account.Id, signedDocument, decoded, options.Value.MaxStoredOneTimePrekeys).ConfigureAwait(false))
        {
            case UploadOutcome.IdHeld:
                return Problems.Of(ErrorCodes.Conflict, "A one-time prekey id is already held; use fresh ids.");
            case UploadOutcome.TooMany:
                return Problems.Of(ErrorCodes.TooLarge, $"At most {options.Value.MaxStoredOneTimePrekeys} one-time prekeys are held per account.");
        }

        return Results.Ok(CountOf(account.Id, directory));
    }

    private static IResult Count(HttpContext context, PrekeyDirectory directory) => Results.Ok(CountOf(context.User.AccountId(), directory));

    private static async Task<IResult> Bundle(string accountId, HttpContext context, AccountStore accounts, AccountSecurity security, PrekeyDirectory directory, MentorshipStore mentorships)
    {
        if (!AccountId.IsWellFormed(accountId))
        {
            return Problems.Of(ErrorCodes.Malformed, "Expected an account id.");
        }

        // Only a counterpart in a mentorship that has not ended may use up someone's one-time prekeys.
        if (!mentorships.ShareActiveMentorship(context.User.AccountId(), accountId))
        {
            return Problems.Of(ErrorCodes.NotAParty, "Bundles are handed only to the counterpart in an active mentorship.");
        }

        if (security.IsSuspended(accountId))
        {
            return Problems.Of(ErrorCodes.AccountSuspended, "The counterpart's account is suspended.");
        }

        var account = accounts.Find(accountId);
        var signed = directory.SignedPrekeyOf(accountId);
        if (account is null || signed is null)
        {
            return Problems.Of(ErrorCodes.NoPrekeys, "The counterpart has not uploaded prekeys yet.");
        }

        var oneTime = await directory.TakeOneTimeAsync(accountId).ConfigureAwait(false);
        return Results.Ok(new PrekeyBundleResponse(
            account.Id,
            Convert.ToBase64String(account.SigningKey),
            Convert.ToBase64String(account.DhKey),
            Convert.ToBase64String(account.BindingSignature),
            new SignedPrekeyDto(checked((uint)signed.KeyId), Convert.ToBase64String(signed.PublicKey), Convert.ToBase64String(signed.Signature)),
            oneTime is null ? null : new OneTimePrekeyDto(checked((uint)oneTime.KeyId), Convert.ToBase64String(oneTime.PublicKey))));
    }

    private static PrekeyCountResponse CountOf(string accountId, PrekeyDirectory directory)
        => new(directory.OneTimeCount(accountId), directory.SignedPrekeyOf(accountId) is { } signed ? checked((uint)signed.KeyId) : null);
}
