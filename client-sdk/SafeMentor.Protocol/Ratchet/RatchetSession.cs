using System.Security.Cryptography;
using NSec.Cryptography;
using SafeMentor.Protocol.Keys;
using SafeMentor.Protocol.Primitives;
using SafeMentor.Protocol.Wire;

namespace SafeMentor.Protocol.Ratchet;

/// <summary>
/// One Double Ratchet session (docs/protocol.md, Double Ratchet; Signal's specification, revision 1,
/// without header encryption). Sizes: root, chain and message keys 32 bytes; header 40 bytes;
/// AEAD associated data <c>AD || header</c> (168 bytes). Limits: MAX_SKIP = 1000 per chain,
/// 2000 stored skipped keys per session (oldest evicted first).
/// <para>
/// The session changes itself as it decrypts, so callers decrypt on a <see cref="Clone"/> and keep the copy
/// only when decryption succeeded: a rejected message then changes nothing at all.
/// </para>
/// </summary>
internal sealed partial class RatchetSession : IDisposable
{
    /// <summary>Recently replaced receiving ratchet keys, kept only to tell a replay from a forgery.</summary>
    internal const int MaxRetiredRatchetKeys = 256;

    private byte[] _associatedData;
    private byte[] _rootKey;
    // Raw bytes, like the root and chain keys: a session copy is then a plain memory copy, and the
    // key enters an NSec Key only for the two DH computations of a ratchet step.
    private byte[] _sendingRatchetPrivate;
    private byte[] _sendingRatchetPublic;
    private byte[]? _receivingRatchet;
    private byte[]? _sendingChain;
    private byte[]? _receivingChain;
    private uint _sendCount;
    private uint _receiveCount;
    private uint _previousSendCount;
    private readonly List<SkippedKey> _skipped;
    private readonly List<byte[]> _retiredRatchetKeys;

    private RatchetSession(
        bool isInitiator,
        bool hasReceived,
        PrekeyFields x3dh,
        byte[] associatedData,
        byte[] rootKey,
        (byte[] Private, byte[] Public) sendingRatchet,
        byte[]? receivingRatchet,
        byte[]? sendingChain,
        byte[]? receivingChain,
        uint sendCount,
        uint receiveCount,
        uint previousSendCount,
        List<SkippedKey> skipped,
        List<byte[]> retired)
    {
        IsInitiator = isInitiator;
        HasReceived = hasReceived;
        X3dh = x3dh;
        _associatedData = associatedData;
        _rootKey = rootKey;
        (_sendingRatchetPrivate, _sendingRatchetPublic) = sendingRatchet;
        _receivingRatchet = receivingRatchet;
        _sendingChain = sendingChain;
        _receivingChain = receivingChain;
        _sendCount = sendCount;
        _receiveCount = receiveCount;
        _previousSendCount = previousSendCount;
        _skipped = skipped;
        _retiredRatchetKeys = retired;
    }

    /// <summary>Whether this party ran X3DH as the initiator (A) of this session.</summary>
    public bool IsInitiator { get; }

    /// <summary>Whether a message of this session has decrypted here; until then the initiator sends prekey messages.</summary>
    public bool HasReceived { get; private set; }

    /// <summary>The X3DH fields of the session: sent by the initiator, received by the responder.</summary>
    public PrekeyFields X3dh { get; }

    public int StoredSkippedKeys => _skipped.Count;

    public bool CanSend => _sendingChain is not null;

    /// <summary>
    /// Initiator A: <c>DHs = GENERATE_DH(); DHr = SPK_B_pub; (RK, CKs) = KDF_RK(SK, DH(DHs, DHr))</c>.
    /// </summary>
    public static RatchetSession CreateInitiator(byte[] sharedSecret, byte[] associatedData, ReadOnlySpan<byte> signedPrekeyB, PrekeyFields x3dh, KeySource keys)
    {
        var ratchet = Crypto.TakeRaw(keys.Generate(KeyPurpose.Ratchet));
        Span<byte> dh = stackalloc byte[32];
        try
        {
            Crypto.Dh(ratchet.Private, signedPrekeyB, dh);
            var (rootKey, sendingChain) = ChainKdf.RootStep(sharedSecret, dh);
            return new RatchetSession(true, false, x3dh, associatedData, rootKey, ratchet, signedPrekeyB.ToArray(), sendingChain, null, 0, 0, 0, [], []);
        }
        catch
        {
            CryptographicOperations.ZeroMemory(ratchet.Private);
            throw;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dh);
        }
    }

    /// <summary>
    /// Responder B: <c>DHs</c> = the signed prekey pair, <c>RK = SK</c>, no chains yet: B can send only after it has received.
    /// </summary>
    public static RatchetSession CreateResponder(byte[] sharedSecret, byte[] associatedData, Key signedPrekey, PrekeyFields x3dh)
        => new(false, false, x3dh, associatedData, sharedSecret.ToArray(), Crypto.ExportRaw(signedPrekey), null, null, null, 0, 0, 0, [], []);

    /// <summary>Encrypts one payload and returns the wire message: a prekey message until the initiator has received.</summary>
    public byte[] Encrypt(ReadOnlySpan<byte> payload)
    {
        if (payload.Length > ProtocolConstants.MaxPayloadLength)
        {
            throw new ArgumentOutOfRangeException(nameof(payload), $"A payload is at most {ProtocolConstants.MaxPayloadLength} bytes.");
        }

        if (_sendingChain is null)
        {
            throw new ProtocolException(ProtocolError.NoSendingChain);
        }

        var (nextChain, messageKey) = ChainKdf.ChainStep(_sendingChain);
        var header = WireMessage.EncodeHeader(_sendingRatchetPublic, _previousSendCount, _sendCount);
        var padded = Padding.Pad(payload);
        var ciphertext = new byte[padded.Length + ProtocolConstants.TagSize];
        Span<byte> keyAndNonce = stackalloc byte[56];
        try
        {
            ChainKdf.MessageKeys(messageKey, keyAndNonce);
            Crypto.Seal(keyAndNonce[..32], keyAndNonce[32..], [.. _associatedData, .. header], padded, ciphertext);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(keyAndNonce);
            CryptographicOperations.ZeroMemory(messageKey);
            CryptographicOperations.ZeroMemory(padded);
        }

        ReplaceOptional(ref _sendingChain, nextChain);
        _sendCount = checked(_sendCount + 1);
        return WireMessage.Encode(IsInitiator && !HasReceived ? X3dh : null, header, ciphertext);
    }

    /// <summary>
    /// Signal's RatchetDecrypt, in the binding order of the spec. Changes this instance even when it fails:
    /// call it on a <see cref="Clone"/>.
    /// </summary>
    public byte[] Decrypt(WireMessage message, KeySource keys)
    {
        var headerDh = message.HeaderDh;
        var number = message.MessageNumber;

        var stored = FindSkipped(headerDh, number);
        if (stored >= 0)
        {
            var skipped = _skipped[stored];
            _skipped.RemoveAt(stored);
            try
            {
                var result = Open(skipped.MessageKey, message, ProtocolError.DecryptionFailed);
                HasReceived = true;
                return result;
            }
            finally
            {
                // Used once, so wiped at once: this instance is a copy, and the original is wiped when it is disposed.
                CryptographicOperations.ZeroMemory(skipped.MessageKey);
            }
        }

        // A replay cannot decrypt: its key was used and deleted. The procedure still runs in its binding
        // order (drawing any GENERATE_DH key); these flags only choose the error reported when it fails.
        var failure = ProtocolError.DecryptionFailed;
        if (_receivingRatchet is not null && headerDh.SequenceEqual(_receivingRatchet))
        {
            if (_receivingChain is null)
            {
                throw new ProtocolException(ProtocolError.NoReceivingChain);
            }

            if (number < _receiveCount)
            {
                failure = ProtocolError.DuplicateMessage;
            }
        }
        else
        {
            if (IsRetired(headerDh))
            {
                failure = ProtocolError.DuplicateMessage;
            }

            SkipMessageKeys(message.PreviousChainLength);
            RatchetStep(headerDh, keys);
        }

        SkipMessageKeys(number);
        var (nextChain, messageKey) = ChainKdf.ChainStep(_receivingChain!);
        ReplaceOptional(ref _receivingChain, nextChain);
        _receiveCount = checked(_receiveCount + 1);
        try
        {
            var payload = Open(messageKey, message, failure);
            HasReceived = true;
            return payload;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(messageKey);
        }
    }

    /// <summary>A deep copy, so that a failed decryption can be thrown away.</summary>
    public RatchetSession Clone()
        => new(
            IsInitiator,
            HasReceived,
            X3dh,
            _associatedData.ToArray(),
            _rootKey.ToArray(),
            (_sendingRatchetPrivate.ToArray(), _sendingRatchetPublic),
            _receivingRatchet?.ToArray(),
            _sendingChain?.ToArray(),
            _receivingChain?.ToArray(),
            _sendCount,
            _receiveCount,
            _previousSendCount,
            _skipped.Select(k => k with { MessageKey = k.MessageKey.ToArray() }).ToList(),
            [.. _retiredRatchetKeys]);

    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_sendingRatchetPrivate);
        CryptographicOperations.ZeroMemory(_rootKey);
        if (_sendingChain is not null)
        {
            CryptographicOperations.ZeroMemory(_sendingChain);
        }

        if (_receivingChain is not null)
        {
            CryptographicOperations.ZeroMemory(_receivingChain);
        }

        foreach (var k in _skipped)
        {
            CryptographicOperations.ZeroMemory(k.MessageKey);
        }
    }

    public override string ToString() => $"RatchetSession(initiator {IsInitiator}, sent {_sendCount}, received {_receiveCount}, skipped {_skipped.Count})";

    /// <summary>
    /// Stores the keys of the current receiving chain up to <paramref name="until"/>. The MAX_SKIP check comes
    /// first and applies even without a receiving chain, so a huge PN is refused before any work.
    /// </summary>
    private void SkipMessageKeys(uint until)
    {
        if (until > (ulong)_receiveCount + ProtocolConstants.MaxSkip)
        {
            throw new ProtocolException(ProtocolError.TooManySkippedMessages);
        }

        if (_receivingChain is null)
        {
            return;
        }

        while (_receiveCount < until)
        {
            var (nextChain, messageKey) = ChainKdf.ChainStep(_receivingChain);
            if (_skipped.Count == ProtocolConstants.MaxStoredSkippedKeys)
            {
                CryptographicOperations.ZeroMemory(_skipped[0].MessageKey);
                _skipped.RemoveAt(0);
            }

            _skipped.Add(new SkippedKey(_receivingRatchet!.ToArray(), _receiveCount, messageKey));
            ReplaceOptional(ref _receivingChain, nextChain);
            _receiveCount = checked(_receiveCount + 1);
        }
    }

    /// <summary>
    /// <c>PN = Ns; Ns = Nr = 0; DHr = header.dh; (RK, CKr) = KDF_RK(RK, DH(DHs, DHr)); DHs = GENERATE_DH();
    /// (RK, CKs) = KDF_RK(RK, DH(DHs, DHr))</c>.
    /// </summary>
    private void RatchetStep(ReadOnlySpan<byte> headerDh, KeySource keys)
    {
        _previousSendCount = _sendCount;
        _sendCount = 0;
        _receiveCount = 0;
        if (_receivingRatchet is not null)
        {
            _retiredRatchetKeys.Add(_receivingRatchet);
            if (_retiredRatchetKeys.Count > MaxRetiredRatchetKeys)
            {
                _retiredRatchetKeys.RemoveAt(0);
            }
        }

        _receivingRatchet = headerDh.ToArray();
        Span<byte> dh = stackalloc byte[32];
        try
        {
            Crypto.Dh(_sendingRatchetPrivate, _receivingRatchet, dh);
            var (rootKey, receivingChain) = ChainKdf.RootStep(_rootKey, dh);
            Replace(ref _rootKey, rootKey);
            ReplaceOptional(ref _receivingChain, receivingChain);

            var next = Crypto.TakeRaw(keys.Generate(KeyPurpose.Ratchet));
            Replace(ref _sendingRatchetPrivate, next.Private);
            _sendingRatchetPublic = next.Public;

            Crypto.Dh(_sendingRatchetPrivate, _receivingRatchet, dh);
            (rootKey, var sendingChain) = ChainKdf.RootStep(_rootKey, dh);
            Replace(ref _rootKey, rootKey);
            ReplaceOptional(ref _sendingChain, sendingChain);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dh);
        }
    }

    private byte[] Open(byte[] messageKey, WireMessage message, ProtocolError failure)
    {
        var padded = new byte[message.Ciphertext.Length - ProtocolConstants.TagSize];
        Span<byte> keyAndNonce = stackalloc byte[56];
        try
        {
            ChainKdf.MessageKeys(messageKey, keyAndNonce);
            if (!Crypto.Open(keyAndNonce[..32], keyAndNonce[32..], [.. _associatedData, .. message.Header], message.Ciphertext, padded))
            {
                throw new ProtocolException(failure);
            }

            return padded[..Padding.Unpad(padded)];
        }
        finally
        {
            CryptographicOperations.ZeroMemory(keyAndNonce);
            CryptographicOperations.ZeroMemory(padded);
        }
    }

    private int FindSkipped(ReadOnlySpan<byte> ratchetKey, uint number)
    {
        for (var i = 0; i < _skipped.Count; i++)
        {
            if (_skipped[i].Number == number && ratchetKey.SequenceEqual(_skipped[i].RatchetKey))
            {
                return i;
            }
        }

        return -1;
    }

    private bool IsRetired(ReadOnlySpan<byte> ratchetKey)
    {
        foreach (var retired in _retiredRatchetKeys)
        {
            if (ratchetKey.SequenceEqual(retired))
            {
                return true;
            }
        }

        return false;
    }

    private static void Replace(ref byte[] field, byte[] value)
    {
        CryptographicOperations.ZeroMemory(field);
        field = value;
    }

    private static void ReplaceOptional(ref byte[]? field, byte[] value)
    {
        if (field is not null)
        {
            CryptographicOperations.ZeroMemory(field);
        }

        field = value;
    }
}
