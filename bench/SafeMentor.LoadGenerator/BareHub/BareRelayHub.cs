using Microsoft.AspNetCore.SignalR;
using SafeMentor.Contracts;

namespace SafeMentor.LoadGenerator.BareHub;

/// <summary>
/// The baseline: the relay's hub methods with nothing behind them. <c>Send</c> forwards the same bytes to the
/// recipient's connections and answers at once (no checks, no rate limit, no storage, no consent); <c>Ack</c>
/// deletes nothing. So the same client code drives both servers and the difference is what the relay adds.
/// </summary>
internal sealed class BareRelayHub(TimeProvider time) : Hub<IRelayClient>, IRelayHub
{
    public async Task<SendResult> Send(string envelopeId, string mentorshipId, string recipient, byte[] ciphertext)
    {
        var receivedAtMs = time.GetUtcNow().ToUnixTimeMilliseconds();

        // Awaited as the relay awaits its live delivery, so both pay the same for writing to the recipient.
        await Clients.User(recipient).ReceiveEnvelope(new EnvelopeDto(envelopeId, mentorshipId, Context.UserIdentifier!, ciphertext, receivedAtMs));
        return new SendResult(envelopeId, receivedAtMs);
    }

    public Task<AckResult> Ack(string[] envelopeIds) => Task.FromResult(new AckResult(envelopeIds.Length));
}

/// <summary>The bare hub has no accounts: a connection names its user in the <c>user</c> query parameter.</summary>
internal sealed class QueryStringUserIdProvider : IUserIdProvider
{
    public const string Parameter = "user";

    public string? GetUserId(HubConnectionContext connection)
        => connection.GetHttpContext()?.Request.Query[Parameter].ToString();
}
