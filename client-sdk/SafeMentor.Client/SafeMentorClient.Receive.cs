using Microsoft.AspNetCore.SignalR.Client;
using SafeMentor.Client.Messaging;
using SafeMentor.Client.Storage;
using SafeMentor.Contracts;
using SafeMentor.Protocol;

namespace SafeMentor.Client;

public sealed partial class SafeMentorClient
{
    private const int MaxReceiveBatch = 64;
    private const int RecentEnvelopeIds = 4096;

    private async Task ReceiveLoopAsync(CancellationToken token)
    {
        var reader = _incoming.Reader;
        try
        {
            while (await reader.WaitToReadAsync(token).ConfigureAwait(false))
            {
                var batch = new List<(HubConnection Connection, EnvelopeDto Envelope)>();
                while (batch.Count < MaxReceiveBatch && reader.TryRead(out var item))
                {
                    batch.Add(item);
                }

                BatchOutcome outcome;
                try
                {
                    outcome = await StoreBatchAsync(batch, token).ConfigureAwait(false);
                }
#pragma warning disable CA1031 // A failed batch is never acknowledged; the relay delivers it again after a reconnect.
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    Interlocked.Add(ref _unprocessed, -batch.Count);
                    foreach (var connection in batch.Select(b => b.Connection).Distinct())
                    {
                        try
                        {
                            await connection.StopAsync(CancellationToken.None).ConfigureAwait(false);
                        }
                        catch (Exception)
                        {
                            // Already closed or disposed.
                        }
                    }

                    continue;
                }
#pragma warning restore CA1031

                Interlocked.Add(ref _unprocessed, -batch.Count);
                Interlocked.Add(ref _processed, batch.Count);
                foreach (var raise in outcome.Events)
                {
                    raise();
                }

                // Acknowledge only now that the batch is durable, on the connection each envelope arrived on.
                foreach (var group in outcome.Acks.GroupBy(a => a.Connection))
                {
                    if (group.Key.State != HubConnectionState.Connected)
                    {
                        continue; // Delivered again on the next connection, dropped as a duplicate there and acknowledged.
                    }

                    foreach (var chunk in group.Select(a => a.EnvelopeId).Distinct(StringComparer.Ordinal).Chunk(Limits.MaxAckBatch))
                    {
                        try
                        {
                            await group.Key.InvokeAsync<AckResult>(HubMethods.Ack, chunk, token).ConfigureAwait(false);
                        }
#pragma warning disable CA1031 // An ack lost with the connection (closed, disposed, stopping) is repeated after the redelivery.
                        catch (Exception)
#pragma warning restore CA1031
                        {
                            break;
                        }
                    }
                }

                if (outcome.ConsumedOneTimePrekey)
                {
                    _ = MaintainQuietlyAsync(token);
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
    }

    private sealed record BatchOutcome(List<(HubConnection Connection, string EnvelopeId)> Acks, List<Action> Events, bool ConsumedOneTimePrekey);

    /// <summary>Decrypts a batch and stores everything it changes in one durable write. Nothing is acknowledged before that write.</summary>
    private async Task<BatchOutcome> StoreBatchAsync(List<(HubConnection Connection, EnvelopeDto Envelope)> batch, CancellationToken token)
    {
        var acks = new List<(HubConnection, string)>();
        var events = new List<Action>();
        var consumed = false;
        var me = _identity!.AccountId;
        await _stateGate.WaitAsync(token).ConfigureAwait(false);
        try
        {
            var recent = _store.GetJson<RecentEnvelopes>(RecordNames.RecentEnvelopes) ?? new RecentEnvelopes([]);
            var recentSet = new HashSet<string>(recent.Ids, StringComparer.Ordinal);
            var changedPeers = new HashSet<string>(StringComparer.Ordinal);
            var contacts = new List<ContactRecord>();
            var applied = new List<Action<SealedStore.Batch, Dictionary<string, Sequence>>>();
            foreach (var (connection, envelope) in batch)
            {
                acks.Add((connection, envelope.EnvelopeId));
                if (!recentSet.Add(envelope.EnvelopeId))
                {
                    continue; // A duplicate of something already stored: acknowledge it again, nothing else.
                }

                recent.Ids.Add(envelope.EnvelopeId);
                Protocol.Sessions.DecryptResult result;
                try
                {
                    result = SessionFor(envelope.Sender).Decrypt(envelope.Ciphertext, _identity, _prekeys!);
                }
                catch (ProtocolException e)
                {
                    if (e.Error == ProtocolError.IdentityMismatch)
                    {
                        events.Add(() => IdentityKeyChanged?.Invoke(this, new IdentityKeyChangedEventArgs("", "", envelope.Sender, envelope.Sender)));
                    }

                    // A replay, a forgery or a message for a lost session can never decrypt; keeping it queued helps no one.
                    continue;
                }

                changedPeers.Add(envelope.Sender);
                consumed |= result.ConsumedOneTimePrekeyId is not null;
                if (result.PeerIdentity is { } peer)
                {
                    contacts.Add(ContactOf(peer));
                }

                if (AppPayload.Parse(result.Payload) is { } payload)
                {
                    applied.Add((b, sequences) => Apply(b, sequences, envelope, payload, me, events));
                }
            }

            if (recent.Ids.Count > RecentEnvelopeIds)
            {
                recent.Ids.RemoveRange(0, recent.Ids.Count - RecentEnvelopeIds);
            }

            try
            {
                _store.Write(b =>
                {
                    var sequences = new Dictionary<string, Sequence>(StringComparer.Ordinal);
                    foreach (var apply in applied)
                    {
                        apply(b, sequences);
                    }

                    foreach (var peer in changedPeers)
                    {
                        b.Put(RecordNames.Session(peer), _sessions[peer].Serialize());
                    }

                    foreach (var contact in contacts)
                    {
                        b.PutJson(RecordNames.Contact(contact.AccountId), contact);
                    }

                    if (consumed)
                    {
                        b.Put(RecordNames.Prekeys, _prekeys!.Serialize());
                    }

                    b.PutJson(RecordNames.RecentEnvelopes, recent);
                });
            }
            catch
            {
                ReloadState();
                throw;
            }
        }
        finally
        {
            _stateGate.Release();
        }

        return new BatchOutcome(acks, events, consumed);
    }

    private void Apply(SealedStore.Batch b, Dictionary<string, Sequence> sequences, EnvelopeDto envelope, AppPayload payload, string me, List<Action> events)
    {
        switch (payload.Type)
        {
            case AppPayload.Text when payload.Body is { } text:
                if (_store.Get(RecordNames.Message(payload.Id)) is not null)
                {
                    return;
                }

                var entry = new HistoryEntry(payload.Id, envelope.Sender, false, payload.SentAtMs, NowMs, text, MessageStatus.Received);
                AppendHistory(b, envelope.MentorshipId, entry, sequences);
                var message = ToMessage(envelope.MentorshipId, entry);
                events.Add(() => MessageReceived?.Invoke(this, new MessageReceivedEventArgs(message)));
                break;
            case AppPayload.ExportRequest or AppPayload.ExportConsent or AppPayload.ExportDecline:
                ApplyExportControl(b, envelope, payload, me, events);
                break;
            default:
                // A type this version does not know: nothing to do, and nothing to store.
                break;
        }
    }
}
