using SafeMentor.Protocol.Primitives;
using SafeMentor.Protocol.Ratchet;

namespace SafeMentor.Protocol.Sessions;

/// <summary>
/// Persistence of a session record, for the SDK's encrypted store: a fixed binary layout
/// ("SMSR", version 2) in which serialising a deserialised record gives back the very same bytes.
/// </summary>
public sealed partial class SessionRecord
{
    private const uint FormatMagic = 0x534D5352; // "SMSR"
    // Version 2 stores the signed prekey id next to each seen ephemeral key; version 1 records are still read.
    private const byte FormatVersion = 2;
    private const byte FormatVersion1 = 1;
    private const uint UnknownSignedPrekey = 0xFFFFFFFF;

    /// <summary>
    /// Most ephemeral keys remembered per peer. Keys are forgotten first when their signed prekey is deleted;
    /// this cap only bounds a peer that starts thousands of sessions within one signed prekey's lifetime.
    /// </summary>
    internal const int MaxSeenEphemeralKeys = 4096;

    // A version 1 record could hold more keys than the cap; at most this many are read, the newest kept.
    private const int MaxSeenEphemeralKeysVersion1 = 1_000_000;

    /// <summary>Serialises the record, including private ratchet keys: only for the SDK's encrypted store.</summary>
    public byte[] Serialize()
    {
        var w = new StateWriter();
        w.U32(FormatMagic);
        w.U8(FormatVersion);
        w.String(PeerAccountId);
        w.Bool(_peerSigningKey is not null);
        if (_peerSigningKey is not null)
        {
            w.Fixed(_peerSigningKey);
            w.Fixed(_peerDhKey);
        }

        w.U32((uint)_sessions.Count);
        foreach (var session in _sessions)
        {
            session.WriteTo(w);
        }

        w.U32((uint)_seenEphemeralKeys.Count);
        foreach (var seen in _seenEphemeralKeys)
        {
            w.Fixed(seen.Key);
            w.U32(seen.SignedPrekeyId ?? UnknownSignedPrekey);
        }

        return w.ToArray();
    }

    /// <summary>Reads what <see cref="Serialize"/> wrote; anything else is <see cref="ProtocolError.MalformedState"/>.</summary>
    public static SessionRecord Deserialize(ReadOnlySpan<byte> state)
    {
        var r = new StateReader(state);
        var version = r.U32() == FormatMagic ? r.U8() : (byte)0;
        if (version is not (FormatVersion or FormatVersion1))
        {
            throw StateReader.Malformed("not a session record");
        }

        var peer = r.String();
        if (!Identity.AccountId.IsWellFormed(peer))
        {
            throw StateReader.Malformed("the peer account id is invalid");
        }

        var record = new SessionRecord(peer);
        try
        {
            if (r.Bool())
            {
                record._peerSigningKey = r.Fixed(32).ToArray();
                record._peerDhKey = r.Fixed(32).ToArray();
            }

            var count = r.Count(ProtocolConstants.MaxPreviousSessions + 1);
            for (var i = 0; i < count; i++)
            {
                record._sessions.Add(RatchetSession.ReadFrom(ref r));
            }

            var seen = r.Count(version == FormatVersion1 ? MaxSeenEphemeralKeysVersion1 : MaxSeenEphemeralKeys);
            for (var i = 0; i < seen; i++)
            {
                var key = r.Fixed(32).ToArray();
                var spk = version == FormatVersion1 ? UnknownSignedPrekey : r.U32();
                record._seenEphemeralKeys.Add(new SeenEphemeralKey(key, spk == UnknownSignedPrekey ? null : spk));
            }

            if (record._seenEphemeralKeys.Count > MaxSeenEphemeralKeys)
            {
                record._seenEphemeralKeys.RemoveRange(0, record._seenEphemeralKeys.Count - MaxSeenEphemeralKeys);
            }

            r.End();
        }
        catch
        {
            record.Dispose();
            throw;
        }

        return record;
    }
}
