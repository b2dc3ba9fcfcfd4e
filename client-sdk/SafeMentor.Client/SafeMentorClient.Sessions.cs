using SafeMentor.Client.Storage;
using SafeMentor.Contracts;
using SafeMentor.Protocol;
using SafeMentor.Protocol.Identity;
using SafeMentor.Protocol.Prekeys;
using SafeMentor.Protocol.Sessions;

namespace SafeMentor.Client;

public sealed partial class SafeMentorClient
{
    private readonly Dictionary<string, SessionRecord> _sessions = new(StringComparer.Ordinal);

    /// <summary>The session record for a peer, from memory or the store. Call under the state gate.</summary>
    private SessionRecord SessionFor(string peer)
    {
        if (_sessions.TryGetValue(peer, out var record))
        {
            return record;
        }

        var stored = _store.Get(RecordNames.Session(peer));
        record = stored is null ? SessionRecord.ForPeer(peer) : SessionRecord.Deserialize(stored);
        _sessions[peer] = record;
        return record;
    }

    /// <summary>Forgets in-memory state after a failed write, so memory never runs ahead of the store.</summary>
    private void ReloadState()
    {
        foreach (var record in _sessions.Values)
        {
            record.Dispose();
        }

        _sessions.Clear();
        if (_store.Get(RecordNames.Prekeys) is { } prekeys)
        {
            _prekeys?.Dispose();
            _prekeys = LocalPrekeys.Deserialize(prekeys);
        }
    }

    /// <summary>Starts a session with <paramref name="peer"/> from its bundle when none exists, and pins its identity.</summary>
    private async Task EnsureSessionAsync(string peer, CancellationToken cancellationToken)
    {
        await _stateGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (SessionFor(peer).HasSession)
            {
                return;
            }
        }
        finally
        {
            _stateGate.Release();
        }

        var dto = await Api().GetAsync<PrekeyBundleResponse>(Routes.Bundle.Replace("{accountId}", peer, StringComparison.Ordinal), cancellationToken).ConfigureAwait(false);
        var bundle = new PrekeyBundle(
            dto.AccountId,
            Convert.FromBase64String(dto.IdentitySigningKey),
            Convert.FromBase64String(dto.IdentityDhKey),
            Convert.FromBase64String(dto.IdentitySignature),
            dto.SignedPrekey.Id,
            Convert.FromBase64String(dto.SignedPrekey.PublicKey),
            Convert.FromBase64String(dto.SignedPrekey.Signature),
            dto.OneTimePrekey?.Id,
            dto.OneTimePrekey is null ? null : Convert.FromBase64String(dto.OneTimePrekey.PublicKey));

        await _stateGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var record = SessionFor(peer);
            if (record.HasSession)
            {
                return;
            }

            PublicIdentity verified;
            try
            {
                verified = bundle.Validate(peer);
                record.Initiate(_identity!, bundle);
            }
            catch (ProtocolException e)
            {
                if (e.Error == ProtocolError.IdentityMismatch)
                {
                    IdentityKeyChanged?.Invoke(this, new IdentityKeyChangedEventArgs("", "", peer, peer));
                }

                throw new SafeMentorException(e);
            }

            var state = record.Serialize();
            var contact = ContactOf(verified);
            _store.Write(b =>
            {
                b.Put(RecordNames.Session(peer), state);
                b.PutJson(RecordNames.Contact(peer), contact);
            });
        }
        catch (Exception e) when (e is not SafeMentorException and not OperationCanceledException)
        {
            ReloadState();
            throw;
        }
        finally
        {
            _stateGate.Release();
        }
    }

    private static ContactRecord ContactOf(PublicIdentity identity) => new(
        identity.AccountId,
        Convert.ToBase64String(identity.SigningKey),
        Convert.ToBase64String(identity.DhKey),
        Convert.ToBase64String(identity.BindingSignature));
}
