using SafeMentor.Protocol.Identity;
using SafeMentor.Protocol.Keys;
using SafeMentor.Protocol.Prekeys;
using SafeMentor.Protocol.Primitives;
using SafeMentor.Protocol.Ratchet;
using SafeMentor.Protocol.Sessions;
using SafeMentor.Protocol.Tests.Support;
using SafeMentor.Protocol.Wire;

namespace SafeMentor.Protocol.Tests.Scenarios;

/// <summary>
/// Injected keys reach the wire where docs/protocol.md says: EK_A in the prekey fields, Alice's first GENERATE_DH
/// key at initialisation, Bob's first at his first DH ratchet step. The same keys give the same bytes.
/// </summary>
public sealed class DeterministicKeyTests
{
    [Fact]
    public void Initiate_DeterministicKeys_PutEphemeralAndRatchetKeysOnTheWire()
    {
        var run = Run(5);

        Assert.Equal(PublicOf(Key(0xE0)), run.AliceWires[0][WireLayout.EphemeralKey..(WireLayout.EphemeralKey + 32)]);
        Assert.Equal(PublicOf(Key(0xA1)), run.AliceWires[0][WireLayout.PrekeyHeader..(WireLayout.PrekeyHeader + 32)]);
        Assert.Equal(PublicOf(Key(0xB1)), run.BobWires[0][WireLayout.NormalHeader..(WireLayout.NormalHeader + 32)]);
        Assert.Equal(PublicOf(Key(0xA2)), run.AliceWires[1][WireLayout.NormalHeader..(WireLayout.NormalHeader + 32)]);
    }

    [Fact]
    public void Encrypt_SameInjectedKeysTwice_GivesIdenticalWireBytes()
    {
        var first = Run(5);
        var second = Run(5);

        Assert.Equal(first.AliceWires, second.AliceWires);
        Assert.Equal(first.BobWires, second.BobWires);
    }

    [Fact]
    public void Encrypt_ResponderSessionBeforeReceiving_ThrowsNoSendingChain()
    {
        using var signedPrekey = Crypto.CreateKey(Crypto.X25519);
        var fields = new PrekeyFields(new byte[32], new byte[32], new byte[64], new byte[32], 1, ProtocolConstants.NoOneTimePrekey);
        using var responder = RatchetSession.CreateResponder(new byte[32], new byte[128], signedPrekey, fields);

        var e = Assert.Throws<ProtocolException>(() => responder.Encrypt(Payloads.Text("too early")));

        Assert.Equal(ProtocolError.NoSendingChain, e.Error);
        Assert.False(responder.CanSend);
    }

    private static (List<byte[]> AliceWires, List<byte[]> BobWires) Run(int turns)
    {
        var aliceKeys = new DeterministicKeySource()
            .Enqueue(KeyPurpose.IdentitySigning, Key(0x01))
            .Enqueue(KeyPurpose.IdentityDh, Key(0x02))
            .Enqueue(KeyPurpose.Ephemeral, Key(0xE0));
        var bobKeys = new DeterministicKeySource()
            .Enqueue(KeyPurpose.IdentitySigning, Key(0x11))
            .Enqueue(KeyPurpose.IdentityDh, Key(0x12))
            .Enqueue(KeyPurpose.SignedPrekey, Key(0x13))
            .Enqueue(KeyPurpose.OneTimePrekey, Key(0x14));
        for (var i = 1; i <= turns + 1; i++)
        {
            aliceKeys.Enqueue(KeyPurpose.Ratchet, Key((byte)(0xA0 + i)));
            bobKeys.Enqueue(KeyPurpose.Ratchet, Key((byte)(0xB0 + i)));
        }

        using var alice = LocalIdentity.Create(aliceKeys);
        using var bob = LocalIdentity.Create(bobKeys);
        using var bobPrekeys = LocalPrekeys.Create(Party.NowMs, bobKeys);
        using var alicePrekeys = LocalPrekeys.Create(Party.NowMs, KeySource.Random);
        var spk = bobPrekeys.CurrentSignedPrekey(bob);
        var opk = bobPrekeys.GenerateOneTimePrekeys(1, bobKeys)[0];
        var bundle = new PrekeyBundle(bob.AccountId, bob.Public.SigningKey.ToArray(), bob.Public.DhKey.ToArray(), bob.Public.BindingSignature.ToArray(), spk.Id, spk.PublicKey, spk.Signature, opk.Id, opk.PublicKey);
        using var aliceRecord = SessionRecord.ForPeer(bob.AccountId);
        using var bobRecord = SessionRecord.ForPeer(alice.AccountId);
        aliceRecord.Initiate(alice, bundle, aliceKeys);

        var aliceWires = new List<byte[]>();
        var bobWires = new List<byte[]>();
        for (var i = 0; i < turns; i++)
        {
            var a = aliceRecord.Encrypt(Payloads.Numbered("a", i));
            aliceWires.Add(a);
            Assert.Equal(Payloads.Numbered("a", i), bobRecord.Decrypt(a, bob, bobPrekeys, bobKeys).Payload);
            var b = bobRecord.Encrypt(Payloads.Numbered("b", i));
            bobWires.Add(b);
            Assert.Equal(Payloads.Numbered("b", i), aliceRecord.Decrypt(b, alice, alicePrekeys, aliceKeys).Payload);
        }

        return (aliceWires, bobWires);
    }

    private static byte[] Key(byte fill) => Enumerable.Repeat(fill, 32).ToArray();

    private static byte[] PublicOf(byte[] privateKey)
    {
        using var key = Crypto.ImportPrivate(Crypto.X25519, privateKey);
        return Crypto.PublicKeyBytes(key);
    }
}
