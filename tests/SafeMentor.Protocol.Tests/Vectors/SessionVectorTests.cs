using System.Text.Json;
using SafeMentor.Protocol.Identity;
using SafeMentor.Protocol.Keys;
using SafeMentor.Protocol.Prekeys;
using SafeMentor.Protocol.Primitives;
using SafeMentor.Protocol.Sessions;
using SafeMentor.Protocol.X3dh;

namespace SafeMentor.Protocol.Tests.Vectors;

/// <summary>
/// Replays tests/vectors/sessions.json as another implementation would: only the keys from the file, every
/// send must produce the recorded wire bytes, every receive must yield the recorded payload.
/// </summary>
public sealed class SessionVectorTests
{
    private const string File = "sessions.json";

    public static IEnumerable<object[]> Names => VectorFiles.Names(File);

    [Theory]
    [MemberData(nameof(Names))]
    public void Expected_FromVectorKeys_MatchesIdentitiesSecretsAndSafetyNumber(string name)
    {
        var v = VectorFiles.Named(File, name);
        using var parties = Parties.From(v);
        var expected = v.GetProperty("expected");

        Assert.Equal(expected.GetProperty("aliceAccountId").GetString(), parties.Alice.AccountId);
        Assert.Equal(expected.GetProperty("bobAccountId").GetString(), parties.Bob.AccountId);
        Assert.Equal(expected.Hex("aliceIdentitySignature"), parties.Alice.Public.BindingSignature.ToArray());
        Assert.Equal(expected.Hex("bobIdentitySignature"), parties.Bob.Public.BindingSignature.ToArray());
        Assert.Equal(expected.Hex("bobSignedPrekeySignature"), parties.Bundle.SignedPrekeySignature);
        Assert.Equal(expected.GetProperty("safetyNumber").GetString(), SafetyNumber.Compute(parties.Alice.Public, parties.Bob.Public));
        Assert.Equal(expected.Hex("associatedData"), X3dhAgreement.AssociatedData(parties.Alice.Public, parties.Bob.Public));

        using var ephemeral = Crypto.ImportPrivate(Crypto.X25519, v.GetProperty("alice").Hex("ephemeralPrivate"));
        var initiator = X3dhAgreement.InitiatorSecret(parties.Alice.DhKey, ephemeral, parties.Bundle.IdentityDhKey, parties.Bundle.SignedPrekey, parties.Bundle.OneTimePrekey);
        var opkId = parties.Bundle.OneTimePrekeyId;
        var responder = X3dhAgreement.ResponderSecret(
            parties.Bob.DhKey,
            parties.BobPrekeys.FindSignedPrekey(parties.Bundle.SignedPrekeyId)!,
            opkId is { } id ? parties.BobPrekeys.FindOneTimePrekey(id) : null,
            parties.Alice.Public.DhKey,
            Crypto.PublicKeyBytes(ephemeral));
        Assert.Equal(expected.Hex("sharedSecret"), initiator);
        Assert.Equal(expected.Hex("sharedSecret"), responder);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Steps_ReplayedFromVectorKeys_ProduceRecordedWireAndPayloads(string name)
    {
        var v = VectorFiles.Named(File, name);
        using var parties = Parties.From(v);
        using var aliceRecord = SessionRecord.ForPeer(parties.Bob.AccountId);
        using var bobRecord = SessionRecord.ForPeer(parties.Alice.AccountId);
        using var alicePrekeys = LocalPrekeys.CreateEmpty();
        aliceRecord.Initiate(parties.Alice, parties.Bundle, parties.AliceKeys);

        var sent = new Dictionary<string, byte[]>();
        foreach (var step in v.GetProperty("steps").EnumerateArray())
        {
            var id = step.GetProperty("id").GetString()!;
            if (step.GetProperty("op").GetString() == "send")
            {
                var fromAlice = step.GetProperty("from").GetString() == "alice";
                var wire = (fromAlice ? aliceRecord : bobRecord).Encrypt(step.Hex("payload"));
                Assert.Equal(step.GetProperty("wire").GetString(), Convert.ToHexStringLower(wire));
                sent[id] = wire;
            }
            else
            {
                var toAlice = step.GetProperty("to").GetString() == "alice";
                var result = toAlice
                    ? aliceRecord.Decrypt(sent[id], parties.Alice, alicePrekeys, parties.AliceKeys)
                    : bobRecord.Decrypt(sent[id], parties.Bob, parties.BobPrekeys, parties.BobKeys);
                Assert.Equal(step.Hex("payload"), result.Payload);
            }
        }

        // Every ratchet key listed was needed: the spec allows unused trailing keys, our files carry none.
        Assert.Equal(0, parties.AliceKeys.Remaining(KeyPurpose.Ratchet));
        Assert.Equal(0, parties.BobKeys.Remaining(KeyPurpose.Ratchet));
    }

    [Fact]
    public void Vectors_AsAWhole_CoverWhatTheSpecRequires()
    {
        var vectors = VectorFiles.Load(File);
        Assert.Contains(vectors, v => v.GetProperty("bob").GetProperty("oneTimePrekeyId").ValueKind == JsonValueKind.Number);
        Assert.Contains(vectors, v => v.GetProperty("bob").GetProperty("oneTimePrekeyId").ValueKind == JsonValueKind.Null);
        // Bob's first ratchet key is drawn at his first DH ratchet step; two or more keys drawn in total means two or more steps.
        Assert.Contains(vectors, v => v.GetProperty("alice").GetProperty("ratchetPrivates").GetArrayLength() - 1 + v.GetProperty("bob").GetProperty("ratchetPrivates").GetArrayLength() >= 2);
        Assert.Contains(vectors, v => v.GetProperty("steps").EnumerateArray().Any(s => s.GetProperty("payload").GetString()!.Length == 0 && s.GetProperty("op").GetString() == "send"));
        Assert.Contains(vectors, v => v.GetProperty("name").GetString() == "skipped-key-after-newer-chain");
        foreach (var v in vectors)
        {
            // oneTimePrekeyId and its private key are present or absent together.
            var bob = v.GetProperty("bob");
            Assert.Equal(bob.GetProperty("oneTimePrekeyId").ValueKind == JsonValueKind.Null, bob.GetProperty("oneTimePrekeyPrivate").ValueKind == JsonValueKind.Null);
        }
    }

    [Fact]
    public void SkippedKeyVector_OldChainMessage_ArrivesAfterReceiverMovedToNewerChain()
    {
        var v = VectorFiles.Named(File, "skipped-key-after-newer-chain");
        var steps = v.GetProperty("steps").EnumerateArray().ToList();
        var wires = steps.Where(s => s.GetProperty("op").GetString() == "send").ToDictionary(s => s.GetProperty("id").GetString()!, s => s.Hex("wire"));
        var bobReceives = steps.Where(s => s.GetProperty("op").GetString() == "receive" && s.GetProperty("to").GetString() == "bob").Select(s => s.GetProperty("id").GetString()).ToList();

        // a2 comes last to Bob, after a4, which travels under a newer ratchet key (header DH at bytes 2.. of a normal message).
        Assert.Equal(["a1", "a3", "a4", "a2"], bobReceives);
        var a2Dh = wires["a2"].AsSpan(2 + 168, 32).ToArray();
        var a4Dh = wires["a4"].AsSpan(2, 32).ToArray();
        Assert.NotEqual(a2Dh, a4Dh);
    }

    /// <summary>Both parties built only from a vector's keys.</summary>
    private sealed class Parties : IDisposable
    {
        public required LocalIdentity Alice { get; init; }

        public required LocalIdentity Bob { get; init; }

        public required LocalPrekeys BobPrekeys { get; init; }

        public required PrekeyBundle Bundle { get; init; }

        public required DeterministicKeySource AliceKeys { get; init; }

        public required DeterministicKeySource BobKeys { get; init; }

        public static Parties From(JsonElement v)
        {
            var a = v.GetProperty("alice");
            var b = v.GetProperty("bob");
            var alice = LocalIdentity.Import(a.Hex("identitySigningSeed"), a.Hex("identityDhPrivate"));
            var bob = LocalIdentity.Import(b.Hex("identitySigningSeed"), b.Hex("identityDhPrivate"));
            var prekeys = LocalPrekeys.CreateEmpty();
            var spkId = b.GetProperty("signedPrekeyId").GetUInt32();
            prekeys.ImportSignedPrekey(spkId, b.Hex("signedPrekeyPrivate"), 0);
            uint? opkId = b.GetProperty("oneTimePrekeyId").ValueKind == JsonValueKind.Null ? null : b.GetProperty("oneTimePrekeyId").GetUInt32();
            byte[]? opkPublic = null;
            if (opkId is { } id)
            {
                prekeys.ImportOneTimePrekey(id, b.Hex("oneTimePrekeyPrivate"));
                opkPublic = Crypto.PublicKeyBytes(prekeys.FindOneTimePrekey(id)!);
            }

            var spk = prekeys.CurrentSignedPrekey(bob);
            var aliceKeys = new DeterministicKeySource().Enqueue(KeyPurpose.Ephemeral, a.Hex("ephemeralPrivate"));
            foreach (var k in a.GetProperty("ratchetPrivates").EnumerateArray())
            {
                aliceKeys.Enqueue(KeyPurpose.Ratchet, Convert.FromHexString(k.GetString()!));
            }

            var bobKeys = new DeterministicKeySource();
            foreach (var k in b.GetProperty("ratchetPrivates").EnumerateArray())
            {
                bobKeys.Enqueue(KeyPurpose.Ratchet, Convert.FromHexString(k.GetString()!));
            }

            return new Parties
            {
                Alice = alice,
                Bob = bob,
                BobPrekeys = prekeys,
                Bundle = new PrekeyBundle(bob.AccountId, bob.Public.SigningKey.ToArray(), bob.Public.DhKey.ToArray(), bob.Public.BindingSignature.ToArray(), spk.Id, spk.PublicKey, spk.Signature, opkId, opkPublic),
                AliceKeys = aliceKeys,
                BobKeys = bobKeys,
            };
        }

        public void Dispose()
        {
            Alice.Dispose();
            Bob.Dispose();
            BobPrekeys.Dispose();
        }
    }
}
