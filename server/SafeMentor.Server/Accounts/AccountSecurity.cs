using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Claims;
using SafeMentor.Server.Storage;

namespace SafeMentor.Server.Accounts;

/// <summary>
/// Whether a token still stands: the account's generation and suspension, and the devices signed in, held in memory
/// (loaded at start, then changed only after the storage writer has made a change durable), so that every request and
/// every hub call is checked without a database read, and a revocation is seen by the very next one.
/// </summary>
internal sealed class AccountSecurity
{
    public const string SignInIdClaim = "sm_sid";
    public const string GenerationClaim = "sm_gen";
    public const string SequenceClaim = "sm_seq";

    private readonly ConcurrentDictionary<string, AccountStandingDocument> _standings = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SignInDocument> _signIns = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    public AccountSecurity(Database database, TimeProvider time)
    {
        _time = time;
        foreach (var standing in database.Collection<AccountStandingDocument>(SecurityCollections.Standings).FindAll())
        {
            _standings[standing.Id] = standing;
        }

        var now = time.GetUtcNow().UtcDateTime;
        foreach (var signIn in database.Collection<SignInDocument>(SecurityCollections.SignIns).FindAll().Where(s => s.ExpiresAt > now))
        {
            _signIns[signIn.Id] = signIn;
        }
    }

    /// <summary>
    /// Raised after a revocation is durable, with the account and the signed-out device (null: every device). Open hub
    /// connections opened with those tokens are closed by the subscriber.
    /// </summary>
    public event Action<string, string?>? Revoked;

    public bool IsSuspended(string accountId) => _standings.TryGetValue(accountId, out var standing) && standing.SuspendedAt is not null;

    /// <summary>Whether a token's principal still stands: its device is signed in, its generation current, its account not suspended.</summary>
    public bool Accepts(ClaimsPrincipal? principal)
        => principal?.FindFirstValue(ClaimTypes.NameIdentifier) is { } accountId
            && principal.FindFirstValue(SignInIdClaim) is { } signInId
            && long.TryParse(principal.FindFirstValue(GenerationClaim), NumberStyles.None, CultureInfo.InvariantCulture, out var generation)
            && (_standings.TryGetValue(accountId, out var standing) ? standing.SuspendedAt is null && standing.Generation == generation : generation == 0)
            && _signIns.TryGetValue(signInId, out var signIn)
            && signIn.AccountId == accountId
            && signIn.ExpiresAt > _time.GetUtcNow().UtcDateTime;

    /// <summary>The committed standing of an account (generation 0 and not suspended when nothing was ever recorded).</summary>
    public AccountStandingDocument Standing(string accountId) => _standings.GetValueOrDefault(accountId) ?? new AccountStandingDocument { Id = accountId };

    /// <summary>Inside a write: the account's standing as this transaction sees it.</summary>
    public static AccountStandingDocument Standing(WriteScope scope, string accountId)
        => scope.Collection<AccountStandingDocument>(SecurityCollections.Standings).FindById(accountId) ?? new AccountStandingDocument { Id = accountId };

    /// <summary>Inside a write: whether the account is suspended, as this transaction sees it.</summary>
    public static bool IsSuspended(WriteScope scope, string accountId) => Standing(scope, accountId).SuspendedAt is not null;

    /// <summary>Inside a write: records a new standing.</summary>
    public static void Save(WriteScope scope, AccountStandingDocument standing) => scope.Collection<AccountStandingDocument>(SecurityCollections.Standings).Upsert(standing);

    /// <summary>Inside a write: signs out every device of the account; returns their sign-in ids.</summary>
    public static List<string> DeleteSignIns(WriteScope scope, string accountId)
    {
        var signIns = scope.Collection<SignInDocument>(SecurityCollections.SignIns);
        var ids = signIns.Find(s => s.AccountId == accountId).Select(s => s.Id).ToList();
        foreach (var id in ids)
        {
            signIns.Delete(id);
        }

        return ids;
    }

    /// <summary>After the change is durable, on the writer's thread: what the checks see from now on.</summary>
    public void Published(AccountStandingDocument? standing = null, IEnumerable<SignInDocument>? signedIn = null, IEnumerable<string>? signedOut = null)
    {
        if (standing is not null)
        {
            _standings[standing.Id] = standing;
        }

        foreach (var signIn in signedIn ?? [])
        {
            _signIns[signIn.Id] = signIn;
        }

        foreach (var id in signedOut ?? [])
        {
            _signIns.TryRemove(id, out _);
        }
    }

    /// <summary>After an account's erasure is durable (its sign-ins published as signed out): its standing leaves memory too.</summary>
    public void ForgetStanding(string accountId) => _standings.TryRemove(accountId, out _);

    /// <summary>After a revocation is durable: closes what was opened with the revoked tokens.</summary>
    public void RaiseRevoked(string accountId, string? signInId) => Revoked?.Invoke(accountId, signInId);
}

/// <summary>Loads <see cref="AccountSecurity"/> when the server starts, so that checking a token never reads the database.</summary>
internal sealed class AccountSecurityLoader : IHostedService
{
    // Being constructed with it is what loads it, at the host's start rather than at the first request.
    public AccountSecurityLoader(AccountSecurity security) => ArgumentNullException.ThrowIfNull(security);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
