using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using SafeMentor.Contracts;
using SafeMentor.Server.Hosting;
using SafeMentor.Server.Mentorships;

namespace SafeMentor.Server.Messaging;

/// <summary>
/// The relay: forwards opaque envelopes between the two parties of a consented mentorship. A SignalR user is
/// an account id, so live delivery reaches every connection of the recipient; each new connection first
/// receives the recipient's queue, in order. Refusals are <see cref="HubException"/>s whose message is a code.
/// </summary>
[Authorize]
internal sealed partial class RelayHub(
    EnvelopeQueue queue,
    MentorshipService mentorships,
    RelayRateLimiter rateLimiter,
    TimeProvider time,
    ILogger<RelayHub> logger) : Hub<IRelayClient>, IRelayHub
{
    public override async Task OnConnectedAsync()
    {
        var queued = queue.QueuedFor(Context.User!.AccountId());
        foreach (var envelope in queued)
        {
            await Clients.Caller.ReceiveEnvelope(envelope.ToDto()).ConfigureAwait(false);
        }

        if (queued.Count > 0)
        {
            LogDrained(logger, queued.Count);
        }
    }

    public async Task<SendResult> Send(string envelopeId, string mentorshipId, string recipient, byte[] ciphertext)
    {
        var sender = Context.User!.AccountId();
        using var lease = rateLimiter.Acquire(sender);
        if (!lease.IsAcquired)
        {
            throw new HubException(ErrorCodes.RateLimited);
        }

        if (EnvelopeShape.Check(envelopeId, mentorshipId, recipient, ciphertext) is { } malformed)
        {
            throw new HubException(malformed);
        }

        var envelope = new EnvelopeDocument
        {
            Id = envelopeId,
            MentorshipId = mentorshipId,
            SenderId = sender,
            RecipientId = recipient,
            Ciphertext = ciphertext,
            ReceivedAt = time.GetUtcNow().UtcDateTime,
        };
        var (safe, isNew) = queue.Accept(envelope, () => mentorships.AdmitSend(mentorshipId, sender, recipient));
        if (isNew)
        {
            // Live delivery runs alongside the commit: a recipient that acknowledges first saves the write.
            await Clients.User(recipient).ReceiveEnvelope(envelope.ToDto()).ConfigureAwait(false);
        }

        try
        {
            return await safe.ConfigureAwait(false);
        }
        catch (RelayRefusal refusal)
        {
            throw new HubException(refusal.Code);
        }
    }

    public Task<AckResult> Ack(string[] envelopeIds)
    {
        if (envelopeIds is null || envelopeIds.Length > Limits.MaxAckBatch || !envelopeIds.All(EnvelopeShape.IsEnvelopeId))
        {
            throw new HubException(ErrorCodes.Malformed);
        }

        return Task.FromResult(new AckResult(queue.Ack(Context.User!.AccountId(), envelopeIds)));
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Drained {Count} queued envelopes to a new connection")]
    private static partial void LogDrained(ILogger logger, int count);
}
