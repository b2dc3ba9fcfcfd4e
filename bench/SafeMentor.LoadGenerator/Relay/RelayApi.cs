using System.Net.Http.Headers;
using System.Net.Http.Json;
using SafeMentor.Contracts;
using SafeMentor.Protocol.Statements;

namespace SafeMentor.LoadGenerator.Relay;

/// <summary>
/// The relay's HTTP API as the walkthrough in the API reference uses it: challenge and signed auth statement to
/// join and sign in, prekeys, programmes, invites, matching and signed consent.
/// </summary>
internal sealed class RelayApi(Uri baseAddress) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
        BaseAddress = baseAddress,
        Timeout = TimeSpan.FromSeconds(60),
    };

    public static readonly GroundRulesInput Rules = new(
        "Load test programme. Be kind; what is said here stays here.",
        TimeSpan.FromDays(14).Ticks / TimeSpan.TicksPerMillisecond,
        TimeSpan.FromDays(90).Ticks / TimeSpan.TicksPerMillisecond,
        false,
        "Any time",
        48);

    /// <summary>Creates an account with <paramref name="inviteCode"/>, then signs in.</summary>
    public async Task JoinAsync(BenchAccount account, string inviteCode, CancellationToken cancellationToken)
    {
        var nonce = await ChallengeAsync(cancellationToken);
        var identity = account.Identity.Public;
        await SendAsync<AccountResponse>(HttpMethod.Post, Routes.Accounts, null, new CreateAccountRequest(
            inviteCode,
            account.Pseudonym,
            Convert.ToBase64String(identity.SigningKey),
            Convert.ToBase64String(identity.DhKey),
            Convert.ToBase64String(identity.BindingSignature),
            nonce,
            SignNonce(account, nonce)), cancellationToken);
        await SignInAsync(account, cancellationToken);
    }

    /// <summary>
    /// Signs in with a fresh challenge. A refused challenge is tried again, twice, with a new one (and said so on
    /// standard error): under heavy load a challenge can expire before its answer arrives.
    /// </summary>
    public async Task SignInAsync(BenchAccount account, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var nonce = await ChallengeAsync(cancellationToken);
            try
            {
                var tokens = await SendAsync<TokenResponse>(HttpMethod.Post, Routes.SignIn, null, new SignInRequest(account.AccountId, nonce, SignNonce(account, nonce)), cancellationToken);
                account.UseToken(tokens.AccessToken);
                return;
            }
            catch (HttpRequestException e) when (attempt < 3 && e.Message.Contains(ErrorCodes.ChallengeInvalid, StringComparison.Ordinal))
            {
                await Console.Error.WriteLineAsync($"  sign-in of {account.Pseudonym} refused ({ErrorCodes.ChallengeInvalid}); trying again with a new challenge");
            }
        }
    }

    public Task<ProgrammeResponse> CreateProgrammeAsync(BenchAccount coordinator, CancellationToken cancellationToken)
        => SendAsync<ProgrammeResponse>(HttpMethod.Post, Routes.Programmes, coordinator, new CreateProgrammeRequest("Load test", Rules), cancellationToken);

    public async Task<string> InviteAsync(BenchAccount coordinator, string programmeId, string role, CancellationToken cancellationToken)
        => (await SendAsync<InviteResponse>(HttpMethod.Post, Fill(Routes.ProgrammeInvites, "{programmeId}", programmeId), coordinator, new CreateInviteRequest(role), cancellationToken)).Code;

    /// <summary>Uploads the signed prekey (required before anyone may fetch a bundle) and a few one-time prekeys.</summary>
    public Task UploadPrekeysAsync(BenchAccount account, int oneTime, CancellationToken cancellationToken)
    {
        var signed = account.Prekeys.CurrentSignedPrekey(account.Identity);
        var request = new UploadPrekeysRequest(
            new SignedPrekeyDto(signed.Id, Convert.ToBase64String(signed.PublicKey), Convert.ToBase64String(signed.Signature)),
            [.. account.Prekeys.GenerateOneTimePrekeys(oneTime).Select(k => new OneTimePrekeyDto(k.Id, Convert.ToBase64String(k.PublicKey)))]);
        return SendAsync<PrekeyCountResponse>(HttpMethod.Put, Routes.Prekeys, account, request, cancellationToken);
    }

    public Task<MentorshipDto> MatchAsync(BenchAccount coordinator, string programmeId, BenchAccount mentor, BenchAccount mentee, CancellationToken cancellationToken)
        => SendAsync<MentorshipDto>(HttpMethod.Post, Fill(Routes.ProgrammeMentorships, "{programmeId}", programmeId), coordinator,
            new MatchRequest(mentor.AccountId, mentee.AccountId), cancellationToken);

    /// <summary>Signs and submits acceptance of <paramref name="rules"/> (the programme's current version).</summary>
    public Task<MentorshipDto> ConsentAsync(BenchAccount party, string mentorshipId, GroundRulesDto rules, CancellationToken cancellationToken)
    {
        var statement = new ConsentStatement(mentorshipId, Convert.FromBase64String(rules.Hash), ConsentDecision.Accept, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var request = new ConsentRequest(rules.Version, rules.Hash, ConsentDecisions.Accept, statement.TimestampMs,
            Convert.ToBase64String(StatementSigner.Sign(party.Identity, statement)));
        return SendAsync<MentorshipDto>(HttpMethod.Post, Fill(Routes.Consents, "{mentorshipId}", mentorshipId), party, request, cancellationToken);
    }

    public async Task<bool> IsHealthyAsync(CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(new Uri(Routes.Health, UriKind.Relative), cancellationToken);
        return response.IsSuccessStatusCode;
    }

    public void Dispose() => _http.Dispose();

    private async Task<string> ChallengeAsync(CancellationToken cancellationToken)
        => (await SendAsync<ChallengeResponse>(HttpMethod.Post, Routes.Challenge, null, null, cancellationToken)).Nonce;

    private static string SignNonce(BenchAccount account, string nonce)
        => Convert.ToBase64String(StatementSigner.Sign(account.Identity, new AuthStatement(account.AccountId, Convert.FromBase64String(nonce))));

    private static string Fill(string route, string placeholder, string value) => route.Replace(placeholder, value, StringComparison.Ordinal);

    private async Task<T> SendAsync<T>(HttpMethod method, string path, BenchAccount? caller, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (caller is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", caller.AccessToken);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType());
        }

        using var response = await _http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var problem = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new HttpRequestException($"{method} {path} answered {(int)response.StatusCode}: {problem}", null, response.StatusCode);
        }

        return (await response.Content.ReadFromJsonAsync<T>(cancellationToken))
            ?? throw new HttpRequestException($"{method} {path} answered an empty body.");
    }
}
