using SafeMentor.Protocol.Primitives;
using SafeMentor.Protocol.Wire;

namespace SafeMentor.Protocol.Ratchet;

/// <summary>Persistence of one session, in a fixed layout so that a round trip gives back the same bytes.</summary>
internal sealed partial class RatchetSession
{
    public void WriteTo(StateWriter w)
    {
        w.Bool(IsInitiator);
        w.Bool(HasReceived);
        w.Fixed(X3dh.IdentitySigningKey);
        w.Fixed(X3dh.IdentityDhKey);
        w.Fixed(X3dh.IdentitySignature);
        w.Fixed(X3dh.EphemeralKey);
        w.U32(X3dh.SignedPrekeyId);
        w.U32(X3dh.OneTimePrekeyId);
        w.Fixed(_associatedData);
        w.Fixed(_rootKey);
        w.Fixed(_sendingRatchetPrivate);

        w.Optional(_receivingRatchet, _receivingRatchet is not null);
        w.Optional(_sendingChain, _sendingChain is not null);
        w.Optional(_receivingChain, _receivingChain is not null);
        w.U32(_sendCount);
        w.U32(_receiveCount);
        w.U32(_previousSendCount);
        w.U32((uint)_skipped.Count);
        foreach (var k in _skipped)
        {
            w.Fixed(k.RatchetKey);
            w.U32(k.Number);
            w.Fixed(k.MessageKey);
        }

        w.U32((uint)_retiredRatchetKeys.Count);
        foreach (var k in _retiredRatchetKeys)
        {
            w.Fixed(k);
        }
    }

    public static RatchetSession ReadFrom(ref StateReader r)
    {
        var isInitiator = r.Bool();
        var hasReceived = r.Bool();
        var x3dh = new PrekeyFields(
            r.Fixed(32).ToArray(),
            r.Fixed(32).ToArray(),
            r.Fixed(64).ToArray(),
            r.Fixed(32).ToArray(),
            r.U32(),
            r.U32());
        var associatedData = r.Fixed(ProtocolConstants.AssociatedDataSize).ToArray();
        var rootKey = r.Fixed(32).ToArray();
        var sendingRatchet = Crypto.TakeRaw(Crypto.ImportPrivate(Crypto.X25519, r.Fixed(32)));
        var receivingRatchet = r.Optional(32);
        var sendingChain = r.Optional(32);
        var receivingChain = r.Optional(32);
        var sendCount = r.U32();
        var receiveCount = r.U32();
        var previousSendCount = r.U32();
        var skippedCount = r.Count(ProtocolConstants.MaxStoredSkippedKeys);
        var skipped = new List<SkippedKey>(skippedCount);
        for (var i = 0; i < skippedCount; i++)
        {
            skipped.Add(new SkippedKey(r.Fixed(32).ToArray(), r.U32(), r.Fixed(32).ToArray()));
        }

        var retiredCount = r.Count(MaxRetiredRatchetKeys);
        var retired = new List<byte[]>(retiredCount);
        for (var i = 0; i < retiredCount; i++)
        {
            retired.Add(r.Fixed(32).ToArray());
        }

        return new RatchetSession(isInitiator, hasReceived, x3dh, associatedData, rootKey, sendingRatchet, receivingRatchet, sendingChain, receivingChain, sendCount, receiveCount, previousSendCount, skipped, retired);
    }
}
