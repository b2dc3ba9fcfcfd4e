using SafeMentor.Protocol.Primitives;
using SafeMentor.Protocol.Ratchet;

namespace SafeMentor.Protocol.Sessions;

/// <summary>
/// Persistence of a session record, for the SDK's encrypted store: a fixed binary layout
/// ("SMSR", version 1) in which serialising a deserialised record gives back the very same bytes.
/// </summary>
public sealed partial class SessionRecord
{
    private const uint FormatMagic = 0x534D5352; // "SMSR"
    private const byte FormatVersion = 1;
    private const int MaxSeenEphemeralKeys = 1_000_000;

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
        foreach (var ek in _seenEphemeralKeys)
        {
            w.Fixed(ek);
        }

        return w.ToArray();
    }

    /// <summary>Reads what <see cref="Serialize"/> wrote; anything else is <see cref="ProtocolError.MalformedState"/>.</summary>
    public static SessionRecord Deserialize(ReadOnlySpan<byte> state)
    {
        var r = new StateReader(state);
        if (r.U32() != FormatMagic || r.U8() != FormatVersion)
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

            var seen = r.Count(MaxSeenEphemeralKeys);
            for (var i = 0; i < seen; i++)
            {
                record._seenEphemeralKeys.Add(r.Fixed(32).ToArray());
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
