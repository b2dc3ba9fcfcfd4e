using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using SafeMentor.Contracts;
using SafeMentor.Server.Hosting;

namespace SafeMentor.Server.Messaging;

/// <summary>
/// The relay: forwards opaque envelopes between the two parties of a consented mentorship. A SignalR user is an
/// account id. Each connection gets its own delivery loop (<see cref="DeliveryPump"/>) serving the account's
/// queue, then live envelopes, in acceptance order. Refusals are <see cref="HubException"/>s whose message is a code.
/// </summary>
/// <remarks>
/// A connection may have several <c>Send</c> invocations running at once (<see cref="RelayOptions.MaxInFlightPerConnection"/>).
/// SignalR starts them in the order they arrive, and <c>Send</c> accepts its envelope before its first await, so a
/// connection's envelopes are accepted, stored and delivered in the order the client sent them.
/// </remarks>
[Authorize]
internal sealed class RelayHub(EnvelopeQueue queue, DeliveryPump pump, RelayRateLimiter rateLimiter, TimeProvider time) : Hub<IRelayClient>, IRelayHub
{
    private const string ConnectionItem = "relay-connection";

    public override Task OnConnectedAsync()
    {
        var connection = queue.Connect(Context.ConnectionId, Context.User!.AccountId());
        Context.Items[ConnectionItem] = connection;
        _ = pump.Start(connection);
        return Task.CompletedTask;
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        if (Context.Items.TryGetValue(ConnectionItem, out var item) && item is RelayConnection connection)
        {
            queue.Disconnect(connection);
        }

        return Task.CompletedTask;
    }

    public async Task<SendResult> Send(string envelopeId, string mentorshipId, string recipient, byte[] ciphertext)
    {
        var sender = Context.User!.AccountId();
        using (var lease = rateLimiter.Acquire(sender))
        {
            if (!lease.IsAcquired)
            {
                throw new HubException(ErrorCodes.RateLimited);
            }
        }

        if (EnvelopeShape.Check(envelopeId, mentorshipId, recipient, ciphertext) is { } malformed)
        {
            throw new HubException(malformed);
        }

        var safe = queue.Accept(new EnvelopeDocument
        {
            Id = EnvelopeDocument.KeyOf(sender, envelopeId),
            EnvelopeId = envelopeId,
            MentorshipId = mentorshipId,
            SenderId = sender,
            RecipientId = recipient,
            Ciphertext = ciphertext,
            ReceivedAt = time.GetUtcNow().UtcDateTime,
        });
        try
        {
            return await safe.ConfigureAwait(false);
        }
        catch (RelayRefusal refusal)
        {
            throw new HubException(refusal.Code);
        }
    }

    public async Task<AckResult> Ack(string[] envelopeIds)
    {
        if (envelopeIds is null || envelopeIds.Length > Limits.MaxAckBatch || !envelopeIds.All(EnvelopeShape.IsEnvelopeId))
        {
            throw new HubException(ErrorCodes.Malformed);
        }

        try
        {
            return new AckResult(await queue.AckAsync(Context.User!.AccountId(), envelopeIds).ConfigureAwait(false));
        }
        catch (Storage.StorageFaultException)
        {
            throw new HubException(ErrorCodes.Unavailable);
        }
    }
}
