using SafeMentor.Protocol.Identity;
using SafeMentor.Protocol.Keys;
using SafeMentor.Protocol.Prekeys;
using SafeMentor.Protocol.Primitives;
using SafeMentor.Protocol.Ratchet;
using SafeMentor.Protocol.Wire;
using SafeMentor.Protocol.X3dh;

namespace SafeMentor.Protocol.Sessions;

/// <summary>
/// Everything one party keeps about one peer (docs/protocol.md, X3DH): a current session and up to five
/// previous ones, newest first, and the ephemeral keys of the sessions the peer started while the signed prekey
/// they used is still held, so that a seen <c>EK_A</c> never runs X3DH again (bounded: docs/protocol.md, Limits). A message the current session cannot decrypt is tried against the
/// previous sessions; the session that decrypts becomes current. That is also how simultaneous initiation
/// converges. Every decryption runs on a copy and is committed only when it succeeds.
/// </summary>
public sealed partial class SessionRecord : IDisposable
{
    private readonly List<RatchetSession> _sessions = []; // [0] is current, then previous, newest first
    private readonly List<SeenEphemeralKey> _seenEphemeralKeys = []; // oldest first
    private byte[]? _peerSigningKey;
    private byte[]? _peerDhKey;

    private SessionRecord(string peerAccountId)
    {
        PeerAccountId = peerAccountId;
    }

    /// <summary>The account id of the peer; every prekey message must come from the identity it derives from.</summary>
    public string PeerAccountId { get; }

    /// <summary>Whether a current session exists.</summary>
    public bool HasSession => _sessions.Count > 0;

    /// <summary>Whether the current session can send now (a responder can send only after it has received).</summary>
    public bool CanSend => HasSession && _sessions[0].CanSend;

    /// <summary>Number of previous sessions kept besides the current one.</summary>
    public int PreviousSessionCount => Math.Max(0, _sessions.Count - 1);

    /// <summary>Skipped message keys stored in the current session.</summary>
    public int StoredSkippedKeys => HasSession ? _sessions[0].StoredSkippedKeys : 0;

    /// <summary>Starts an empty record for a peer, before any session exists.</summary>
    public static SessionRecord ForPeer(string peerAccountId)
    {
        if (!AccountId.IsWellFormed(peerAccountId))
        {
            throw new ArgumentException("Not a well-formed account id.", nameof(peerAccountId));
        }

        return new SessionRecord(peerAccountId);
    }

    /// <summary>
    /// Runs X3DH as the initiator against <paramref name="bundle"/> (validated first: account id, sigId, sigSpk)
    /// and makes the new session current at once. Messages are prekey messages until the peer's first reply decrypts.
    /// </summary>
    public void Initiate(LocalIdentity self, PrekeyBundle bundle, KeySource? keys = null)
    {
        ArgumentNullException.ThrowIfNull(self);
        ArgumentNullException.ThrowIfNull(bundle);
        keys ??= KeySource.Random;
        var peer = bundle.Validate(PeerAccountId);
        RequirePinnedIdentity(peer.SigningKey, peer.DhKey);

        using var ephemeral = keys.Generate(KeyPurpose.Ephemeral);
        var sharedSecret = X3dhAgreement.InitiatorSecret(self.DhKey, ephemeral, bundle.IdentityDhKey, bundle.SignedPrekey, bundle.OneTimePrekey);
        try
        {
            var fields = new PrekeyFields(
                self.Public.SigningKey.ToArray(),
                self.Public.DhKey.ToArray(),
                self.Public.BindingSignature.ToArray(),
                Crypto.PublicKeyBytes(ephemeral),
                bundle.SignedPrekeyId,
                bundle.OneTimePrekeyId ?? ProtocolConstants.NoOneTimePrekey);
            var session = RatchetSession.CreateInitiator(sharedSecret, X3dhAgreement.AssociatedData(self.Public, peer), bundle.SignedPrekey, fields, keys);
            Pin(peer.SigningKey, peer.DhKey);
            MakeCurrent(session);
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(sharedSecret);
        }
    }

    /// <summary>Ephemeral keys remembered from sessions the peer started (see <see cref="PruneSeenEphemeralKeys"/>).</summary>
    public int SeenEphemeralKeyCount => _seenEphemeralKeys.Count;

    /// <summary>
    /// Encrypts a payload (at most <see cref="ProtocolConstants.MaxPayloadLength"/> bytes) with the current session,
    /// and hands the new serialised record and the wire message to <paramref name="save"/> <b>before</b> the wire
    /// message is returned (docs/protocol.md, Save before send). The ratchet derives the AEAD key and nonce from
    /// the message key, so a record rolled back after a crash would encrypt the next message under the same key
    /// and nonce; <paramref name="save"/> must therefore make both durable before it returns. If it throws, this
    /// record is left exactly as it was and no wire message exists.
    /// </summary>
    public byte[] Encrypt(ReadOnlySpan<byte> payload, SaveBeforeSend save)
    {
        ArgumentNullException.ThrowIfNull(save);
        if (!HasSession)
        {
            throw new ProtocolException(ProtocolError.NoSession);
        }

        var original = _sessions[0];
        var copy = original.Clone();
        byte[] wire;
        try
        {
            wire = copy.Encrypt(payload);
            _sessions[0] = copy;
            save(Serialize(), wire);
        }
        catch
        {
            _sessions[0] = original;
            copy.Dispose();
            throw;
        }

        original.Dispose();
        return wire;
    }

    /// <summary>
    /// Encrypts without persisting: only for tests, vectors and benchmarks that keep sessions in memory.
    /// Anything that stores sessions must use <see cref="Encrypt(ReadOnlySpan{byte}, SaveBeforeSend)"/>.
    /// </summary>
    internal byte[] Encrypt(ReadOnlySpan<byte> payload)
    {
        if (!HasSession)
        {
            throw new ProtocolException(ProtocolError.NoSession);
        }

        return _sessions[0].Encrypt(payload);
    }

    /// <summary>
    /// Forgets ephemeral keys whose prekey messages named a signed prekey that <paramref name="prekeys"/> no longer
    /// holds: such a message can no longer run X3DH (it fails with <see cref="ProtocolError.UnknownSignedPrekey"/>),
    /// so remembering its key protects nothing. Returns how many were forgotten.
    /// </summary>
    public int PruneSeenEphemeralKeys(LocalPrekeys prekeys)
    {
        ArgumentNullException.ThrowIfNull(prekeys);
        var held = prekeys.SignedPrekeyIds;
        return _seenEphemeralKeys.RemoveAll(k => k.SignedPrekeyId is { } id && !held.Contains(id));
    }

    /// <summary>
    /// Decrypts a wire message from the peer. A prekey message with a new <c>EK_A</c> runs X3DH as the responder
    /// against <paramref name="prekeys"/>; its one-time prekey is deleted from <paramref name="prekeys"/> only when
    /// the message decrypts. On any failure a <see cref="ProtocolException"/> is thrown and neither this record nor
    /// <paramref name="prekeys"/> changes.
    /// </summary>
    public DecryptResult Decrypt(ReadOnlySpan<byte> wire, LocalIdentity self, LocalPrekeys prekeys, KeySource? keys = null)
    {
        ArgumentNullException.ThrowIfNull(self);
        ArgumentNullException.ThrowIfNull(prekeys);
        keys ??= KeySource.Random;
        var message = WireMessage.Parse(wire);
        return message.Prekey is null
            ? new DecryptResult(DecryptNormal(message, keys), false, null)
            : DecryptPrekey(message, message.Prekey, self, prekeys, keys);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var session in _sessions)
        {
            session.Dispose();
        }

        _sessions.Clear();
    }

    /// <summary>Names the peer and counts only; never prints key bytes.</summary>
    public override string ToString() => $"SessionRecord({PeerAccountId}, sessions {_sessions.Count})";

    private byte[] DecryptNormal(WireMessage message, KeySource keys)
    {
        if (!HasSession)
        {
            throw new ProtocolException(ProtocolError.NoSession);
        }

        ProtocolException? first = null;
        for (var i = 0; i < _sessions.Count; i++)
        {
            try
            {
                return DecryptWith(i, message, keys);
            }
            catch (ProtocolException e)
            {
                // The current session's error says most, unless some session recognised a replay.
                if (first is null || (e.Error == ProtocolError.DuplicateMessage && first.Error != ProtocolError.DuplicateMessage))
                {
                    first = e;
                }
            }
        }

        throw first!;
    }

    private DecryptResult DecryptPrekey(WireMessage message, PrekeyFields fields, LocalIdentity self, LocalPrekeys prekeys, KeySource keys)
    {
        if (!string.Equals(AccountId.FromSigningKey(fields.IdentitySigningKey), PeerAccountId, StringComparison.Ordinal))
        {
            throw new ProtocolException(ProtocolError.IdentityMismatch);
        }

        RequirePinnedIdentity(fields.IdentitySigningKey, fields.IdentityDhKey);

        // A later prekey message of a known session decrypts with that session, never with a new X3DH.
        var known = _sessions.FindIndex(s => !s.IsInitiator && s.X3dh.EphemeralKey.AsSpan().SequenceEqual(fields.EphemeralKey));
        if (known >= 0)
        {
            if (!_sessions[known].X3dh.Equals(fields))
            {
                throw new ProtocolException(ProtocolError.PrekeyFieldsMismatch);
            }

            return new DecryptResult(DecryptWith(known, message, keys), false, null);
        }

        if (_seenEphemeralKeys.Exists(seen => seen.Key.AsSpan().SequenceEqual(fields.EphemeralKey)))
        {
            throw new ProtocolException(ProtocolError.DuplicateMessage, "The session this prekey message belongs to is no longer kept.");
        }

        var peer = PublicIdentity.Verified(fields.IdentitySigningKey, fields.IdentityDhKey, fields.IdentitySignature);
        var signedPrekey = prekeys.FindSignedPrekey(fields.SignedPrekeyId) ?? throw new ProtocolException(ProtocolError.UnknownSignedPrekey);
        var oneTimePrekey = fields.UsedOneTimePrekey
            ? prekeys.FindOneTimePrekey(fields.OneTimePrekeyId) ?? throw new ProtocolException(ProtocolError.UnknownOneTimePrekey)
            : null;

        var sharedSecret = X3dhAgreement.ResponderSecret(self.DhKey, signedPrekey, oneTimePrekey, fields.IdentityDhKey, fields.EphemeralKey);
        var session = RatchetSession.CreateResponder(sharedSecret, X3dhAgreement.AssociatedData(peer, self.Public), signedPrekey, fields);
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(sharedSecret);
        byte[] payload;
        try
        {
            payload = session.Decrypt(message, keys);
        }
        catch
        {
            session.Dispose();
            throw;
        }

        // Commit only now that the first message has decrypted.
        Pin(fields.IdentitySigningKey, fields.IdentityDhKey);
        RememberEphemeralKey(fields.EphemeralKey, fields.SignedPrekeyId, prekeys);
        MakeCurrent(session);
        uint? consumed = null;
        if (fields.UsedOneTimePrekey)
        {
            prekeys.RemoveOneTimePrekey(fields.OneTimePrekeyId);
            consumed = fields.OneTimePrekeyId;
        }

        return new DecryptResult(payload, true, consumed) { PeerIdentity = peer };
    }

    private byte[] DecryptWith(int index, WireMessage message, KeySource keys)
    {
        var copy = _sessions[index].Clone();
        byte[] payload;
        try
        {
            payload = copy.Decrypt(message, keys);
        }
        catch
        {
            copy.Dispose();
            throw;
        }

        _sessions[index].Dispose();
        _sessions.RemoveAt(index);
        _sessions.Insert(0, copy);
        return payload;
    }

    private void MakeCurrent(RatchetSession session)
    {
        _sessions.Insert(0, session);
        while (_sessions.Count > ProtocolConstants.MaxPreviousSessions + 1)
        {
            _sessions[^1].Dispose();
            _sessions.RemoveAt(_sessions.Count - 1);
        }
    }

    private void RememberEphemeralKey(byte[] ephemeralKey, uint signedPrekeyId, LocalPrekeys prekeys)
    {
        PruneSeenEphemeralKeys(prekeys);
        if (_seenEphemeralKeys.Count == MaxSeenEphemeralKeys)
        {
            _seenEphemeralKeys.RemoveAt(0);
        }

        _seenEphemeralKeys.Add(new SeenEphemeralKey(ephemeralKey.ToArray(), signedPrekeyId));
    }

    private void RequirePinnedIdentity(ReadOnlySpan<byte> signingKey, ReadOnlySpan<byte> dhKey)
    {
        if (_peerSigningKey is not null && (!signingKey.SequenceEqual(_peerSigningKey) || !dhKey.SequenceEqual(_peerDhKey)))
        {
            throw new ProtocolException(ProtocolError.IdentityMismatch);
        }
    }

    private void Pin(ReadOnlySpan<byte> signingKey, ReadOnlySpan<byte> dhKey)
    {
        _peerSigningKey ??= signingKey.ToArray();
        _peerDhKey ??= dhKey.ToArray();
    }
}
