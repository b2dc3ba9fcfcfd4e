using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using SafeMentor.Contracts;
using SafeMentor.Protocol.Identity;
using SafeMentor.Protocol.Prekeys;
using SafeMentor.Protocol.Statements;

namespace SafeMentor.Server.Tests.Infrastructure;

/// <summary>
/// A client built on the Protocol library: its own identity and prekeys, an HTTP client, tokens, and hub connections
/// whose received envelopes and relay notifications land in channels.
/// </summary>
public sealed class TestUser : IAsyncDisposable
{
    private readonly IRelayHost _server;
    private readonly List<HubConnection> _connections = [];

    private TestUser(IRelayHost server, string pseudonym)
    {
        _server = server;
        Pseudonym = pseudonym;
        Http = server.CreateClient();
        Identity = LocalIdentity.Create();
        Prekeys = LocalPrekeys.Create(server.Clock.GetUtcNow().ToUnixTimeMilliseconds());
    }

    public string Pseudonym { get; }

    public HttpClient Http { get; }

    public LocalIdentity Identity { get; }

    public LocalPrekeys Prekeys { get; }

    public string AccountId => Identity.AccountId;

    public TokenResponse? Tokens { get; private set; }

    public Channel<EnvelopeDto> Inbox { get; } = Channel.CreateUnbounded<EnvelopeDto>();

    public Channel<RelayStateDto> RelayEvents { get; } = Channel.CreateUnbounded<RelayStateDto>();

    /// <summary>Creates an account with <paramref name="inviteCode"/> and signs in.</summary>
    public static async Task<TestUser> JoinAsync(IRelayHost server, string inviteCode, string pseudonym)
    {
        var user = new TestUser(server, pseudonym);
        var response = await user.Http.PostAsJsonAsync(Routes.Accounts, user.CreateAccountRequest(inviteCode, await user.ChallengeAsync()));
        await Http200.EnsureAsync(response);
        await user.SignInAsync();
        return user;
    }

    /// <summary>A user that has no account yet (for refusal tests).</summary>
    public static TestUser Unregistered(IRelayHost server, string pseudonym) => new(server, pseudonym);

    public async Task<string> ChallengeAsync()
    {
        var response = await Http.PostAsync(Routes.Challenge, null);
        await Http200.EnsureAsync(response);
        var challenge = await response.Content.ReadFromJsonAsync<ChallengeResponse>();
        return challenge!.Nonce;
    }

    public CreateAccountRequest CreateAccountRequest(string inviteCode, string nonce) => new(
        inviteCode,
        Pseudonym,
        Convert.ToBase64String(Identity.Public.SigningKey),
        Convert.ToBase64String(Identity.Public.DhKey),
        Convert.ToBase64String(Identity.Public.BindingSignature),
        nonce,
        SignNonce(nonce));

    public string SignNonce(string nonce)
        => Convert.ToBase64String(StatementSigner.Sign(Identity, new AuthStatement(AccountId, Convert.FromBase64String(nonce))));

    public async Task SignInAsync()
    {
        var nonce = await ChallengeAsync();
        var response = await Http.PostAsJsonAsync(Routes.SignIn, new SignInRequest(AccountId, nonce, SignNonce(nonce)));
        await Http200.EnsureAsync(response);
        UseTokens((await response.Content.ReadFromJsonAsync<TokenResponse>())!);
    }

    public void UseTokens(TokenResponse tokens)
    {
        Tokens = tokens;
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken);
    }

    public async Task<PrekeyCountResponse> UploadPrekeysAsync(int oneTime, bool includeSigned = true)
    {
        var signed = Prekeys.CurrentSignedPrekey(Identity);
        var request = new UploadPrekeysRequest(
            includeSigned ? new SignedPrekeyDto(signed.Id, Convert.ToBase64String(signed.PublicKey), Convert.ToBase64String(signed.Signature)) : null,
            oneTime == 0 ? [] : [.. Prekeys.GenerateOneTimePrekeys(oneTime).Select(k => new OneTimePrekeyDto(k.Id, Convert.ToBase64String(k.PublicKey)))]);
        var response = await Http.PutAsJsonAsync(Routes.Prekeys, request);
        await Http200.EnsureAsync(response);
        return (await response.Content.ReadFromJsonAsync<PrekeyCountResponse>())!;
    }

    public async Task<PrekeyBundle> FetchBundleAsync(string accountId)
    {
        var response = await Http.GetAsync(Routes.Bundle.Replace("{accountId}", accountId, StringComparison.Ordinal));
        await Http200.EnsureAsync(response);
        var dto = (await response.Content.ReadFromJsonAsync<PrekeyBundleResponse>())!;
        return new PrekeyBundle(
            dto.AccountId,
            Convert.FromBase64String(dto.IdentitySigningKey),
            Convert.FromBase64String(dto.IdentityDhKey),
            Convert.FromBase64String(dto.IdentitySignature),
            dto.SignedPrekey.Id,
            Convert.FromBase64String(dto.SignedPrekey.PublicKey),
            Convert.FromBase64String(dto.SignedPrekey.Signature),
            dto.OneTimePrekey?.Id,
            dto.OneTimePrekey is null ? null : Convert.FromBase64String(dto.OneTimePrekey.PublicKey));
    }

    /// <summary>
    /// Opens a hub connection with the transport settings of the host. With <paramref name="autoAck"/>, every
    /// envelope is acknowledged as soon as it is in the inbox, as a client does once it has stored a message. The
    /// connection uses the user's current access token, or always <paramref name="accessToken"/> when given (a
    /// second device of the same account).
    /// </summary>
    public async Task<HubConnection> ConnectAsync(bool messagePack = false, bool start = true, bool autoAck = false, string? accessToken = null)
    {
        var builder = new HubConnectionBuilder()
            .WithUrl(new Uri(_server.BaseAddress, Routes.Hub), options =>
            {
                _server.ConfigureHub(options);
                options.AccessTokenProvider = () => Task.FromResult(accessToken ?? Tokens?.AccessToken);
            });
        if (messagePack)
        {
            builder.AddMessagePackProtocol();
        }

        var connection = builder.Build();
        connection.On<EnvelopeDto>(HubMethods.ReceiveEnvelope, envelope =>
        {
            Inbox.Writer.TryWrite(envelope);
            if (autoAck)
            {
                _ = connection.InvokeAsync<AckResult>(HubMethods.Ack, new[] { envelope.EnvelopeId });
            }
        });
        connection.On<RelayStateDto>(HubMethods.RelayStateChanged, state => RelayEvents.Writer.TryWrite(state));
        _connections.Add(connection);
        if (start)
        {
            await connection.StartAsync();

            // Start completes at the handshake, before the server has admitted the connection and registered it for
            // delivery; the server answers an invocation only after both. An empty Ack is such a round trip. If the
            // connection was refused it is closed by now, and the caller's test looks at how.
            try
            {
                await connection.InvokeAsync<AckResult>(HubMethods.Ack, Array.Empty<string>());
            }
            catch (Exception)
            {
            }
        }

        return connection;
    }

    public async Task<EnvelopeDto> NextEnvelopeAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        return await Inbox.Reader.ReadAsync(cts.Token);
    }

    public async Task<RelayStateDto> NextRelayEventAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        return await RelayEvents.Reader.ReadAsync(cts.Token);
    }

    /// <summary>Closes every hub connection, as a client going offline.</summary>
    public async Task DisconnectAsync()
    {
        foreach (var connection in _connections)
        {
            await connection.StopAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }

        Http.Dispose();
        Identity.Dispose();
        Prekeys.Dispose();
    }
}
