using System.Security.Cryptography;
using SafeMentor.Client.Api;
using SafeMentor.Client.Storage;
using SafeMentor.Contracts;
using SafeMentor.Protocol.Identity;
using SafeMentor.Protocol.Prekeys;

namespace SafeMentor.Client;

/// <summary>
/// The SDK's one entry point: a party's device. Open it on a store and a passphrase; create an identity or join with
/// an invite; list mentorships, read and consent to ground rules; send and receive end-to-end encrypted messages
/// (events report what arrives); request, approve, create and verify consented exports. Every method is async and
/// every expected failure is a <see cref="SafeMentorException"/> with a stable code.
/// </summary>
public sealed partial class SafeMentorClient : IAsyncDisposable
{
    private readonly SafeMentorClientOptions _options;
    private readonly SealedStore _store;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _stateGate = new(1, 1); // sessions, prekeys and history change under this gate
    private RelayApi? _api;
    private LocalIdentity? _identity;
    private LocalPrekeys? _prekeys;
    private AccountRecord? _account;

    private SafeMentorClient(SafeMentorClientOptions options, SealedStore store)
    {
        _options = options;
        _store = store;
        _time = options.Time;
        _account = store.GetJson<AccountRecord>(RecordNames.Account);
        LoadKeys();
    }

    /// <summary>The account id, once an identity exists.</summary>
    public string? AccountId => _identity?.AccountId;

    /// <summary>The pseudonym this account joined with.</summary>
    public string? Pseudonym => _account?.Pseudonym;

    /// <summary>Whether the account has joined a server.</summary>
    public bool HasJoined => _account?.Joined == true;

    /// <summary>The server in use.</summary>
    public Uri? ServerUrl => _options.ServerUrl ?? (_account?.ServerUrl is { } url ? new Uri(url) : null);

    /// <summary>Internal access to the store for tests.</summary>
    internal SealedStore Store => _store;

    /// <summary>
    /// Opens the store at <see cref="SafeMentorClientOptions.StorePath"/>, creating it when missing. A wrong passphrase
    /// is <see cref="ClientErrorCodes.WrongPassphrase"/>. Deriving the key is deliberately slow (Argon2id).
    /// </summary>
    public static Task<SafeMentorClient> OpenAsync(SafeMentorClientOptions options, Passphrase passphrase, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(passphrase);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.SendWindow, 1);
        // Copied now: the caller may dispose (wipe) its passphrase as soon as this method returns.
        var copy = Passphrase.FromUtf8(passphrase.Utf8);
        return Task.Run(
            () =>
            {
                using (copy)
                {
                    return new SafeMentorClient(options, SealedStore.Open(options.StorePath, copy, options.Kdf));
                }
            },
            cancellationToken);
    }

    /// <summary>Creates a new identity and prekeys in the store. Fails with <see cref="ClientErrorCodes.IdentityExists"/> if one exists.</summary>
    public Task<string> CreateIdentityAsync()
    {
        if (_identity is not null)
        {
            throw new SafeMentorException(ClientErrorCodes.IdentityExists, $"This store already holds the identity {_identity.AccountId}.");
        }

        var identity = LocalIdentity.Create();
        var prekeys = LocalPrekeys.Create(NowMs);
        var keys = new byte[64];
        try
        {
            // Private keys leave NSec only here, into the sealed store.
            identity.ExportPrivateKeys(keys.AsSpan(0, 32), keys.AsSpan(32, 32));
            var account = new AccountRecord(identity.AccountId, null, _options.ServerUrl?.ToString(), false);
            _store.Write(b =>
            {
                b.Put(RecordNames.IdentityKeys, keys);
                b.Put(RecordNames.Prekeys, prekeys.Serialize());
                b.PutJson(RecordNames.PrekeyMeta, new PrekeyMeta(NowMs));
                b.PutJson(RecordNames.Account, account);
            });
            _identity = identity;
            _prekeys = prekeys;
            _account = account;
            return Task.FromResult(identity.AccountId);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(keys);
        }
    }

    /// <summary>
    /// Joins the server with an invite under <paramref name="pseudonym"/> (a generated one when null), creating an
    /// identity first if the store has none; then signs in and uploads prekeys.
    /// </summary>
    public async Task<AccountResponse> JoinAsync(string inviteCode, string? pseudonym = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(inviteCode);
        if (_identity is null)
        {
            await CreateIdentityAsync().ConfigureAwait(false);
        }

        pseudonym = string.IsNullOrWhiteSpace(pseudonym) ? PseudonymGenerator.Next() : pseudonym.Trim();
        var api = Api();
        AccountResponse account;
        if (HasJoined)
        {
            account = await api.PostAsync<AccountResponse>(Routes.RedeemInvite, new RedeemInviteRequest(inviteCode), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            account = await api.CreateAccountAsync(inviteCode, pseudonym, cancellationToken).ConfigureAwait(false);
            _account = new AccountRecord(account.AccountId, account.Pseudonym, ServerUrl?.ToString(), true);
            _store.Write(b => b.PutJson(RecordNames.Account, _account));
        }

        await MaintainPrekeysAsync(cancellationToken).ConfigureAwait(false);
        return account;
    }

    /// <summary>Signs in with the identity key (normally automatic: the SDK refreshes and signs in as needed).</summary>
    public Task SignInAsync(CancellationToken cancellationToken = default) => Api().SignInAsync(cancellationToken);

    /// <summary>The account as the server sees it: pseudonym, roles.</summary>
    public Task<AccountResponse> WhoAmIAsync(CancellationToken cancellationToken = default)
        => Api().GetAsync<AccountResponse>(Routes.Me, cancellationToken);

    /// <summary>
    /// Keeps prekeys healthy: uploads the signed prekey when the server has none, rotates it on schedule (keeping the
    /// previous one 30 days), and refills one-time prekeys below the threshold. New keys are stored before upload.
    /// </summary>
    public async Task<PrekeyCountResponse> MaintainPrekeysAsync(CancellationToken cancellationToken = default)
    {
        var api = Api();
        var count = await api.GetAsync<PrekeyCountResponse>(Routes.PrekeyCount, cancellationToken).ConfigureAwait(false);
        UploadPrekeysRequest? upload;
        await _stateGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var prekeys = _prekeys ?? throw NoIdentity();
            var identity = _identity!;
            var meta = _store.GetJson<PrekeyMeta>(RecordNames.PrekeyMeta) ?? new PrekeyMeta(NowMs);
            SignedPrekeyDto? signed = null;
            if (NowMs - meta.RotatedAtMs >= (long)_options.SignedPrekeyRotation.TotalMilliseconds)
            {
                prekeys.RotateSignedPrekey(identity, NowMs);
                meta = new PrekeyMeta(NowMs);
            }

            prekeys.PruneSupersededSignedPrekeys(NowMs);
            if (count.SignedPrekeyId != prekeys.CurrentSignedPrekeyId)
            {
                var current = prekeys.CurrentSignedPrekey(identity);
                signed = new SignedPrekeyDto(current.Id, Convert.ToBase64String(current.PublicKey), Convert.ToBase64String(current.Signature));
            }

            List<OneTimePrekeyDto> oneTime = [];
            if (count.OneTimePrekeys < _options.OneTimePrekeyThreshold)
            {
                var wanted = Math.Clamp(_options.OneTimePrekeyTarget - count.OneTimePrekeys, 1, Limits.MaxOneTimePrekeysPerUpload);
                oneTime = [.. prekeys.GenerateOneTimePrekeys(wanted).Select(k => new OneTimePrekeyDto(k.Id, Convert.ToBase64String(k.PublicKey)))];
            }

            upload = signed is null && oneTime.Count == 0 ? null : new UploadPrekeysRequest(signed, oneTime);
            if (upload is not null)
            {
                // Stored before the upload: the server must never hand out a key this device has lost.
                _store.Write(b =>
                {
                    b.Put(RecordNames.Prekeys, prekeys.Serialize());
                    b.PutJson(RecordNames.PrekeyMeta, meta);
                });
            }
        }
        finally
        {
            _stateGate.Release();
        }

        return upload is null ? count : await api.PutAsync<PrekeyCountResponse>(Routes.Prekeys, upload, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _api?.Dispose();
        _identity?.Dispose();
        _prekeys?.Dispose();
        foreach (var record in _sessions.Values)
        {
            record.Dispose();
        }

        _sessions.Clear();
        _store.Dispose();
        _stateGate.Dispose();
    }

    /// <summary>Names the account only.</summary>
    public override string ToString() => $"SafeMentorClient({AccountId ?? "no identity"})";

    internal long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    internal RelayApi Api()
    {
        if (_api is not null)
        {
            return _api;
        }

        var server = ServerUrl ?? throw new SafeMentorException(ClientErrorCodes.NotJoined, "No server is configured: give the server URL.");
        var handler = _options.HttpHandlerFactory?.Invoke() ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        var http = new HttpClient(handler) { BaseAddress = new Uri(server.ToString().TrimEnd('/') + "/"), Timeout = TimeSpan.FromSeconds(100) };
        _api = new RelayApi(http, _time)
        {
            Identity = _identity,
            RefreshToken = _store.GetJson<TokenRecord>(RecordNames.Tokens)?.RefreshToken,
            RefreshTokenChanged = token => _store.Write(b => b.PutJson(RecordNames.Tokens, new TokenRecord(token))),
        };
        return _api;
    }

    private void LoadKeys()
    {
        var keys = _store.Get(RecordNames.IdentityKeys);
        if (keys is null)
        {
            return;
        }

        try
        {
            _identity = LocalIdentity.Import(keys.AsSpan(0, 32), keys.AsSpan(32, 32));
            _prekeys = LocalPrekeys.Deserialize(_store.Get(RecordNames.Prekeys) ?? throw new SafeMentorException(ClientErrorCodes.StoreCorrupt, "The prekeys are missing."));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(keys);
        }
    }

    private static SafeMentorException NoIdentity() => new(ClientErrorCodes.NoIdentity, "This store holds no identity yet: create one or join with an invite.");
}
