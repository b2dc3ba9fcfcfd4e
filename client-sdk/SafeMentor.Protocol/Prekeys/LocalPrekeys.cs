using System.Security.Cryptography;
using NSec.Cryptography;
using SafeMentor.Protocol.Identity;
using SafeMentor.Protocol.Keys;
using SafeMentor.Protocol.Primitives;

namespace SafeMentor.Protocol.Prekeys;

/// <summary>
/// A responder's private prekeys: the current signed prekey, superseded ones kept for at least
/// 30 days after rotation (so late prekey messages still decrypt), and the unused one-time prekeys.
/// A one-time prekey is removed only when a first message of the session it started has decrypted.
/// </summary>
public sealed class LocalPrekeys : IDisposable
{
    private const uint FormatMagic = 0x534D504B; // "SMPK"
    private const byte FormatVersion = 1;
    private const int MaxStoredSignedPrekeys = 1024;
    private const int MaxStoredOneTimePrekeys = 100_000;

    private readonly SortedDictionary<uint, SignedEntry> _signed = [];
    private readonly SortedDictionary<uint, Key> _oneTime = [];
    private uint _currentSignedId;
    private uint _nextOneTimeId = 1;

    private LocalPrekeys()
    {
    }

    /// <summary>The id of the signed prekey currently advertised.</summary>
    public uint CurrentSignedPrekeyId => _currentSignedId;

    /// <summary>How many one-time prekeys are held and not yet used.</summary>
    public int OneTimePrekeyCount => _oneTime.Count;

    /// <summary>The ids of the signed prekeys held (current and superseded).</summary>
    public IReadOnlyCollection<uint> SignedPrekeyIds => _signed.Keys;

    /// <summary>Creates a prekey store with a first signed prekey (id 1) and no one-time prekeys.</summary>
    public static LocalPrekeys Create(long nowMs, KeySource? keys = null)
    {
        var prekeys = new LocalPrekeys();
        prekeys.AddSigned(1, (keys ?? KeySource.Random).Generate(KeyPurpose.SignedPrekey), nowMs);
        return prekeys;
    }

    /// <summary>An empty store for vectors and tests, which then import chosen keys; usable once a signed prekey is imported.</summary>
    internal static LocalPrekeys CreateEmpty() => new();

    /// <summary>The current signed prekey with its signature by <paramref name="identity"/>, ready to upload.</summary>
    public SignedPrekeyPublic CurrentSignedPrekey(LocalIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var publicKey = Crypto.PublicKeyBytes(_signed[_currentSignedId].Key);
        return new SignedPrekeyPublic(_currentSignedId, publicKey, identity.Sign(SignedPrekeys.SignedMessage(_currentSignedId, publicKey)));
    }

    /// <summary>
    /// Generates <paramref name="count"/> one-time prekeys (1 to 100, the batch limit) with fresh, unique ids
    /// and returns their public parts for upload.
    /// </summary>
    public IReadOnlyList<OneTimePrekeyPublic> GenerateOneTimePrekeys(int count, KeySource? keys = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, ProtocolConstants.MaxOneTimePrekeyBatch);
        keys ??= KeySource.Random;
        var uploads = new List<OneTimePrekeyPublic>(count);
        for (var i = 0; i < count; i++)
        {
            var id = AllocateOneTimeId();
            var key = keys.Generate(KeyPurpose.OneTimePrekey);
            _oneTime.Add(id, key);
            uploads.Add(new OneTimePrekeyPublic(id, Crypto.PublicKeyBytes(key)));
        }

        return uploads;
    }

    /// <summary>Replaces the current signed prekey with a new one; the old one is kept as superseded.</summary>
    public SignedPrekeyPublic RotateSignedPrekey(LocalIdentity identity, long nowMs, KeySource? keys = null)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var nextId = unchecked(_currentSignedId + 1);
        while (_signed.ContainsKey(nextId))
        {
            nextId = unchecked(nextId + 1);
        }

        _signed[_currentSignedId] = _signed[_currentSignedId] with { SupersededMs = nowMs };
        AddSigned(nextId, (keys ?? KeySource.Random).Generate(KeyPurpose.SignedPrekey), nowMs);
        return CurrentSignedPrekey(identity);
    }

    /// <summary>Deletes signed prekeys superseded at least 30 days before <paramref name="nowMs"/>; returns how many.</summary>
    public int PruneSupersededSignedPrekeys(long nowMs)
    {
        var cutoff = nowMs - (long)ProtocolConstants.SupersededSignedPrekeyRetention.TotalMilliseconds;
        var expired = _signed.Where(p => p.Value.SupersededMs is { } at && at <= cutoff).Select(p => p.Key).ToList();
        foreach (var id in expired)
        {
            _signed[id].Key.Dispose();
            _signed.Remove(id);
        }

        return expired.Count;
    }

    internal Key? FindSignedPrekey(uint id) => _signed.TryGetValue(id, out var entry) ? entry.Key : null;

    internal Key? FindOneTimePrekey(uint id) => _oneTime.GetValueOrDefault(id);

    internal void RemoveOneTimePrekey(uint id)
    {
        if (_oneTime.Remove(id, out var key))
        {
            key.Dispose();
        }
    }

    /// <summary>Adds a signed prekey with a chosen id and private key (vectors and tests) and makes it current.</summary>
    internal void ImportSignedPrekey(uint id, ReadOnlySpan<byte> privateKey, long nowMs)
    {
        if (_signed.ContainsKey(id))
        {
            throw new ArgumentException("That signed prekey id is already held.", nameof(id));
        }

        if (_signed.TryGetValue(_currentSignedId, out var current))
        {
            _signed[_currentSignedId] = current with { SupersededMs = nowMs };
        }

        AddSigned(id, Crypto.ImportPrivate(Crypto.X25519, privateKey), nowMs);
    }

    /// <summary>Adds a one-time prekey with a chosen id and private key (vectors and tests).</summary>
    internal void ImportOneTimePrekey(uint id, ReadOnlySpan<byte> privateKey)
    {
        if (id == ProtocolConstants.NoOneTimePrekey)
        {
            throw new ArgumentException("0xFFFFFFFF is reserved and is never a one-time prekey id.", nameof(id));
        }

        _oneTime.Add(id, Crypto.ImportPrivate(Crypto.X25519, privateKey));
    }

    /// <summary>
    /// Serialises every private prekey, for the SDK's encrypted store only. The same state always gives the same bytes.
    /// </summary>
    public byte[] Serialize()
    {
        var w = new StateWriter();
        w.U32(FormatMagic);
        w.U8(FormatVersion);
        w.U32(_currentSignedId);
        w.U32(_nextOneTimeId);
        Span<byte> raw = stackalloc byte[ProtocolConstants.KeySize];
        try
        {
            w.U32((uint)_signed.Count);
            foreach (var (id, entry) in _signed)
            {
                w.U32(id);
                Crypto.ExportPrivate(entry.Key, raw);
                w.Fixed(raw);
                w.I64(entry.CreatedMs);
                w.Bool(entry.SupersededMs.HasValue);
                w.I64(entry.SupersededMs ?? 0);
            }

            w.U32((uint)_oneTime.Count);
            foreach (var (id, key) in _oneTime)
            {
                w.U32(id);
                Crypto.ExportPrivate(key, raw);
                w.Fixed(raw);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(raw);
        }

        return w.ToArray();
    }

    /// <summary>Reads what <see cref="Serialize"/> wrote; anything else is <see cref="ProtocolError.MalformedState"/>.</summary>
    public static LocalPrekeys Deserialize(ReadOnlySpan<byte> state)
    {
        var r = new StateReader(state);
        if (r.U32() != FormatMagic || r.U8() != FormatVersion)
        {
            throw StateReader.Malformed("not a prekey store");
        }

        var prekeys = new LocalPrekeys { _currentSignedId = r.U32(), _nextOneTimeId = r.U32() };
        var signedCount = r.Count(MaxStoredSignedPrekeys);
        for (var i = 0; i < signedCount; i++)
        {
            var id = r.U32();
            var key = Crypto.ImportPrivate(Crypto.X25519, r.Fixed(ProtocolConstants.KeySize));
            var created = r.I64();
            var superseded = r.Bool();
            var supersededMs = r.I64();
            if (!prekeys._signed.TryAdd(id, new SignedEntry(key, created, superseded ? supersededMs : null)) || (!superseded && supersededMs != 0))
            {
                throw StateReader.Malformed("a signed prekey entry is invalid");
            }
        }

        var oneTimeCount = r.Count(MaxStoredOneTimePrekeys);
        for (var i = 0; i < oneTimeCount; i++)
        {
            var id = r.U32();
            if (id == ProtocolConstants.NoOneTimePrekey || !prekeys._oneTime.TryAdd(id, Crypto.ImportPrivate(Crypto.X25519, r.Fixed(ProtocolConstants.KeySize))))
            {
                throw StateReader.Malformed("a one-time prekey entry is invalid");
            }
        }

        r.End();
        if (!prekeys._signed.ContainsKey(prekeys._currentSignedId))
        {
            throw StateReader.Malformed("the current signed prekey is missing");
        }

        return prekeys;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var entry in _signed.Values)
        {
            entry.Key.Dispose();
        }

        foreach (var key in _oneTime.Values)
        {
            key.Dispose();
        }

        _signed.Clear();
        _oneTime.Clear();
    }

    /// <summary>Counts only; never prints key bytes.</summary>
    public override string ToString() => $"LocalPrekeys(signed {_signed.Count}, one-time {_oneTime.Count})";

    private void AddSigned(uint id, Key key, long nowMs)
    {
        _signed.Add(id, new SignedEntry(key, nowMs, null));
        _currentSignedId = id;
    }

    private uint AllocateOneTimeId()
    {
        // Ids only grow, so a used id is never handed out again; 0xFFFFFFFF is reserved and skipped.
        while (_nextOneTimeId == ProtocolConstants.NoOneTimePrekey || _nextOneTimeId == 0 || _oneTime.ContainsKey(_nextOneTimeId))
        {
            _nextOneTimeId = unchecked(_nextOneTimeId + 1);
        }

        var id = _nextOneTimeId;
        _nextOneTimeId = unchecked(_nextOneTimeId + 1);
        return id;
    }

    private sealed record SignedEntry(Key Key, long CreatedMs, long? SupersededMs);
}
