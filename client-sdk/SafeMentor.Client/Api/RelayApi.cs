using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using SafeMentor.Contracts;
using SafeMentor.Protocol.Identity;
using SafeMentor.Protocol.Statements;

namespace SafeMentor.Client.Api;

/// <summary>
/// The relay's HTTP API (docs/api.md) with the SDK's token rules: the access token lives in memory only; the newest
/// refresh token is persisted at once (refresh tokens may rotate on every use, and an old one revokes the family);
/// a 401 from refresh, or no refresh token, means signing in again with the identity key; 429 and 503 are retried
/// with backoff and jitter.
/// </summary>
internal sealed class RelayApi : IDisposable
{
    private const int MaxAttempts = 5;
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _tokenGate = new(1, 1);
    private string? _accessToken;
    private DateTimeOffset _accessExpires;

    public RelayApi(HttpClient http, TimeProvider time)
    {
        _http = http;
        _time = time;
    }

    /// <summary>The identity that signs in; set once the store holds one.</summary>
    public LocalIdentity? Identity { get; set; }

    /// <summary>The newest refresh token (persisted by <see cref="RefreshTokenChanged"/>).</summary>
    public string? RefreshToken { get; set; }

    /// <summary>Called with every new refresh token before it is used, so it is never lost.</summary>
    public Action<string>? RefreshTokenChanged { get; set; }

    public Uri BaseAddress => _http.BaseAddress!;

    public Task<T> GetAsync<T>(string path, CancellationToken cancellationToken) => SendAsync<T>(HttpMethod.Get, path, null, anonymous: false, cancellationToken);

    public Task<T> PostAsync<T>(string path, object? body, CancellationToken cancellationToken) => SendAsync<T>(HttpMethod.Post, path, body, anonymous: false, cancellationToken);

    public Task<T> PutAsync<T>(string path, object? body, CancellationToken cancellationToken) => SendAsync<T>(HttpMethod.Put, path, body, anonymous: false, cancellationToken);

    /// <summary>Signs in with a fresh challenge answered by the identity key.</summary>
    public async Task SignInAsync(CancellationToken cancellationToken)
    {
        var identity = Identity ?? throw new SafeMentorException(ClientErrorCodes.NoIdentity, "Create or restore an identity first.");
        var challenge = await SendAsync<ChallengeResponse>(HttpMethod.Post, Routes.Challenge, null, anonymous: true, cancellationToken).ConfigureAwait(false);
        var request = new SignInRequest(identity.AccountId, challenge.Nonce, SignNonce(identity, challenge.Nonce));
        Accept(await SendAsync<TokenResponse>(HttpMethod.Post, Routes.SignIn, request, anonymous: true, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Creates the account with an invite and signs in.</summary>
    public async Task<AccountResponse> CreateAccountAsync(string inviteCode, string pseudonym, CancellationToken cancellationToken)
    {
        var identity = Identity ?? throw new SafeMentorException(ClientErrorCodes.NoIdentity, "Create an identity first.");
        var challenge = await SendAsync<ChallengeResponse>(HttpMethod.Post, Routes.Challenge, null, anonymous: true, cancellationToken).ConfigureAwait(false);
        var request = new CreateAccountRequest(
            inviteCode,
            pseudonym,
            Convert.ToBase64String(identity.Public.SigningKey),
            Convert.ToBase64String(identity.Public.DhKey),
            Convert.ToBase64String(identity.Public.BindingSignature),
            challenge.Nonce,
            SignNonce(identity, challenge.Nonce));
        var account = await SendAsync<AccountResponse>(HttpMethod.Post, Routes.Accounts, request, anonymous: true, cancellationToken).ConfigureAwait(false);
        await SignInAsync(cancellationToken).ConfigureAwait(false);
        return account;
    }

    /// <summary>A valid access token, refreshed or signed in again when needed (the hub's token provider).</summary>
    public async Task<string> AccessTokenAsync(CancellationToken cancellationToken, bool forceRenew = false)
    {
        await _tokenGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!forceRenew && _accessToken is not null && _time.GetUtcNow() < _accessExpires - TimeSpan.FromSeconds(30))
            {
                return _accessToken;
            }

            if (RefreshToken is { } refresh)
            {
                try
                {
                    Accept(await SendAsync<TokenResponse>(HttpMethod.Post, Routes.Refresh, new RefreshRequest(refresh), anonymous: true, cancellationToken).ConfigureAwait(false));
                    return _accessToken!;
                }
                catch (SafeMentorException e) when (e.Code is ErrorCodes.Unauthorized or ErrorCodes.Malformed)
                {
                    // Expired, revoked or reused: the identity key is the way back in.
                }
            }

            await SignInAsync(cancellationToken).ConfigureAwait(false);
            return _accessToken!;
        }
        finally
        {
            _tokenGate.Release();
        }
    }

    public void Dispose()
    {
        _http.Dispose();
        _tokenGate.Dispose();
    }

    private async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, bool anonymous, CancellationToken cancellationToken)
    {
        var renewed = false;
        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, path.TrimStart('/'));
            if (body is not null)
            {
                request.Content = JsonContent.Create(body, body.GetType(), options: s_json);
            }

            if (!anonymous)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await AccessTokenAsync(cancellationToken).ConfigureAwait(false));
            }

            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException e)
            {
                throw new SafeMentorException(ClientErrorCodes.Offline, $"The server at {_http.BaseAddress} cannot be reached: {e.Message}", e);
            }

            using (response)
            {
                if (response.IsSuccessStatusCode)
                {
                    return (await response.Content.ReadFromJsonAsync<T>(s_json, cancellationToken).ConfigureAwait(false))!;
                }

                var error = await ProblemAsync(response, cancellationToken).ConfigureAwait(false);
                if (!anonymous && response.StatusCode == HttpStatusCode.Unauthorized && !renewed)
                {
                    renewed = true;
                    await AccessTokenAsync(cancellationToken, forceRenew: true).ConfigureAwait(false);
                    continue;
                }

                if (error.Code is ErrorCodes.RateLimited or ErrorCodes.Unavailable && attempt < MaxAttempts)
                {
                    await Task.Delay(Backoff.Delay(attempt, RetryAfter(response)), _time, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                throw error;
            }
        }
    }

    private void Accept(TokenResponse tokens)
    {
        // Persist the newest refresh token before anything else uses it.
        RefreshToken = tokens.RefreshToken;
        RefreshTokenChanged?.Invoke(tokens.RefreshToken);
        _accessToken = tokens.AccessToken;
        _accessExpires = _time.GetUtcNow() + TimeSpan.FromSeconds(tokens.ExpiresIn);
    }

    private static string SignNonce(LocalIdentity identity, string nonce)
        => Convert.ToBase64String(StatementSigner.Sign(identity, new AuthStatement(identity.AccountId, Convert.FromBase64String(nonce))));

    private static TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter?.Delta;

    private static async Task<SafeMentorException> ProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        string code = ErrorCodes.Unavailable, detail = $"The server answered {status}.";
        try
        {
            using var document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), cancellationToken: cancellationToken).ConfigureAwait(false);
            if (document.RootElement.TryGetProperty("code", out var c) && c.GetString() is { Length: > 0 } parsed)
            {
                code = parsed;
            }

            if (document.RootElement.TryGetProperty("detail", out var d) && d.GetString() is { Length: > 0 } text)
            {
                detail = text;
            }
        }
        catch (JsonException)
        {
            // Not a problem document: keep the status-based answer.
        }

        return new SafeMentorException(code, detail) { HttpStatus = status };
    }
}

/// <summary>Exponential backoff with full jitter, capped.</summary>
internal static class Backoff
{
    public static TimeSpan Delay(int attempt, TimeSpan? atLeast = null, TimeSpan? cap = null)
    {
        var max = Math.Min((cap ?? TimeSpan.FromSeconds(30)).TotalMilliseconds, 250 * Math.Pow(2, Math.Min(attempt, 16)));
        var jittered = TimeSpan.FromMilliseconds((max / 2) + (Random.Shared.NextDouble() * max / 2));
        return atLeast is { } floor && floor > jittered ? floor : jittered;
    }
}
