using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.Extensions.Options;
using SafeMentor.Contracts;
using SafeMentor.Server.Storage;

namespace SafeMentor.Server.Accounts;

/// <summary>
/// Signed-in devices and their tokens. A sign-in starts a device's family of refresh tokens; each refresh token is used
/// once and replaced (rotation); presenting one already used ends the family (reuse detection), so a stolen refresh
/// token works at most until the device or the thief refreshes once. Every change is one write through the storage
/// writer, judged inside its transaction, so two refreshes with the same token can never both succeed.
/// </summary>
internal sealed class SignIns(
    StorageWriter writer,
    AccountSecurity security,
    IOptionsMonitor<BearerTokenOptions> bearerOptions,
    IOptions<AuthOptions> options,
    TimeProvider time)
{
    private BearerTokenOptions Bearer => bearerOptions.Get(BearerTokenDefaults.AuthenticationScheme);

    /// <summary>Signs a device in: a new family of refresh tokens, and its first tokens. Null when the account is suspended.</summary>
    public async Task<TokenResponse?> BeginAsync(string accountId)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var signIn = new SignInDocument
        {
            Id = "si_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
            AccountId = accountId,
            Sequence = 1,
            CreatedAt = now,
            ExpiresAt = now.AddDays(options.Value.RefreshTokenDays),
        };
        var outcome = await writer.WriteAsync(
            scope =>
            {
                var standing = AccountSecurity.Standing(scope, accountId);
                if (standing.SuspendedAt is not null)
                {
                    return (Standing: standing, SignedOut: new List<string>(), Started: false);
                }

                // Expired sign-ins go, and the oldest ones beyond the per-account limit are signed out.
                var signIns = scope.Collection<SignInDocument>(SecurityCollections.SignIns);
                var held = signIns.Find(s => s.AccountId == accountId).OrderBy(s => s.CreatedAt).ToList();
                var signedOut = held.Where(s => s.ExpiresAt <= now).Select(s => s.Id).ToList();
                var live = held.Where(s => s.ExpiresAt > now).ToList();
                signedOut.AddRange(live.Take(Math.Max(0, live.Count - options.Value.MaxSignInsPerAccount + 1)).Select(s => s.Id));
                foreach (var id in signedOut)
                {
                    signIns.Delete(id);
                }

                signIns.Insert(signIn);
                return (Standing: standing, SignedOut: signedOut, Started: true);
            },
            result =>
            {
                if (result.Started)
                {
                    security.Published(signedIn: [signIn], signedOut: result.SignedOut);
                }
            }).ConfigureAwait(false);

        if (!outcome.Started)
        {
            return null;
        }

        foreach (var id in outcome.SignedOut)
        {
            security.RaiseRevoked(accountId, id);
        }

        return Issue(accountId, signIn, outcome.Standing.Generation);
    }

    /// <summary>
    /// Exchanges a refresh token for new tokens, or null when it no longer stands: unknown, forged, expired, of an
    /// earlier generation, of a suspended account, or already used (which also signs the device out).
    /// </summary>
    public async Task<TokenResponse?> RefreshAsync(string refreshToken)
    {
        var ticket = Bearer.RefreshTokenProtector.Unprotect(refreshToken);
        var principal = ticket?.Principal;
        if (ticket?.Properties.ExpiresUtc is not { } expires
            || time.GetUtcNow() >= expires
            || principal?.FindFirstValue(ClaimTypes.NameIdentifier) is not { } accountId
            || principal.FindFirstValue(AccountSecurity.SignInIdClaim) is not { } signInId
            || !long.TryParse(principal.FindFirstValue(AccountSecurity.GenerationClaim), NumberStyles.None, CultureInfo.InvariantCulture, out var generation)
            || !long.TryParse(principal.FindFirstValue(AccountSecurity.SequenceClaim), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
        {
            return null;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var (outcome, signIn) = await writer.WriteAsync(
            scope =>
            {
                var signIns = scope.Collection<SignInDocument>(SecurityCollections.SignIns);
                var signIn = signIns.FindById(signInId);
                if (signIn is null || signIn.AccountId != accountId)
                {
                    return (Outcome: RefreshOutcome.Unknown, SignIn: (SignInDocument?)null);
                }

                var standing = AccountSecurity.Standing(scope, accountId);
                if (signIn.ExpiresAt <= now || standing.SuspendedAt is not null || standing.Generation != generation || signIn.Sequence != sequence)
                {
                    // Expired, revoked, or a refresh token used before: the device is signed out.
                    signIns.Delete(signIn.Id);
                    return (Outcome: signIn.Sequence != sequence ? RefreshOutcome.Reused : RefreshOutcome.Unknown, SignIn: signIn);
                }

                var next = new SignInDocument
                {
                    Id = signIn.Id,
                    AccountId = signIn.AccountId,
                    Sequence = signIn.Sequence + 1,
                    CreatedAt = signIn.CreatedAt,
                    ExpiresAt = signIn.ExpiresAt,
                };
                signIns.Update(next);
                return (Outcome: RefreshOutcome.Rotated, SignIn: next);
            },
            result =>
            {
                if (result.Outcome == RefreshOutcome.Rotated)
                {
                    security.Published(signedIn: [result.SignIn!]);
                }
                else if (result.SignIn is { } ended)
                {
                    security.Published(signedOut: [ended.Id]);
                }
            }).ConfigureAwait(false);

        if (outcome != RefreshOutcome.Rotated)
        {
            if (signIn is not null)
            {
                security.RaiseRevoked(accountId, signInId);
            }

            return null;
        }

        return Issue(accountId, signIn!, generation);
    }

    /// <summary>Signs one device out: its access and refresh tokens stop working and its hub connections close.</summary>
    public async Task SignOutAsync(string accountId, string signInId)
    {
        var removed = await writer.WriteAsync(
            scope =>
            {
                var signIns = scope.Collection<SignInDocument>(SecurityCollections.SignIns);
                return signIns.FindById(signInId) is { } signIn && signIn.AccountId == accountId && signIns.Delete(signInId);
            },
            removed =>
            {
                if (removed)
                {
                    security.Published(signedOut: [signInId]);
                }
            }).ConfigureAwait(false);
        if (removed)
        {
            security.RaiseRevoked(accountId, signInId);
        }
    }

    /// <summary>Signs every device of the account out: a new generation, so every token issued so far stops working.</summary>
    public async Task SignOutEverywhereAsync(string accountId)
    {
        await writer.WriteAsync(
            scope =>
            {
                var standing = AccountSecurity.Standing(scope, accountId);
                var next = new AccountStandingDocument
                {
                    Id = accountId,
                    Generation = standing.Generation + 1,
                    SuspendedAt = standing.SuspendedAt,
                    SuspendedIn = standing.SuspendedIn,
                };
                AccountSecurity.Save(scope, next);
                return (Standing: next, SignedOut: AccountSecurity.DeleteSignIns(scope, accountId));
            },
            result => security.Published(result.Standing, signedOut: result.SignedOut)).ConfigureAwait(false);
        security.RaiseRevoked(accountId, null);
    }

    private TokenResponse Issue(string accountId, SignInDocument signIn, long generation)
    {
        var bearer = Bearer;
        var principal = new ClaimsPrincipal(new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, accountId),
                new Claim(AccountSecurity.SignInIdClaim, signIn.Id),
                new Claim(AccountSecurity.GenerationClaim, generation.ToString(CultureInfo.InvariantCulture)),
                new Claim(AccountSecurity.SequenceClaim, signIn.Sequence.ToString(CultureInfo.InvariantCulture)),
            ],
            BearerTokenDefaults.AuthenticationScheme));
        var access = new AuthenticationTicket(
            principal,
            new AuthenticationProperties { ExpiresUtc = time.GetUtcNow() + bearer.BearerTokenExpiration },
            BearerTokenDefaults.AuthenticationScheme);
        var refresh = new AuthenticationTicket(
            principal,
            new AuthenticationProperties { ExpiresUtc = StoredTime.ToOffset(signIn.ExpiresAt) },
            BearerTokenDefaults.AuthenticationScheme);
        return new TokenResponse(
            "Bearer",
            bearer.BearerTokenProtector.Protect(access),
            (long)bearer.BearerTokenExpiration.TotalSeconds,
            bearer.RefreshTokenProtector.Protect(refresh));
    }

    private enum RefreshOutcome
    {
        Unknown,
        Reused,
        Rotated,
    }
}

/// <summary>
/// Access tokens are checked on every request against <see cref="AccountSecurity"/>: a token of a signed-out device,
/// of an earlier generation or of a suspended account is treated as no token at all (401), with no database read.
/// </summary>
internal sealed class RevocableTicketFormat(ISecureDataFormat<AuthenticationTicket> inner, AccountSecurity security) : ISecureDataFormat<AuthenticationTicket>
{
    public string Protect(AuthenticationTicket data) => inner.Protect(data);

    public string Protect(AuthenticationTicket data, string? purpose) => inner.Protect(data, purpose);

    public AuthenticationTicket? Unprotect(string? protectedText) => Standing(inner.Unprotect(protectedText));

    public AuthenticationTicket? Unprotect(string? protectedText, string? purpose) => Standing(inner.Unprotect(protectedText, purpose));

    private AuthenticationTicket? Standing(AuthenticationTicket? ticket) => ticket is not null && security.Accepts(ticket.Principal) ? ticket : null;
}
