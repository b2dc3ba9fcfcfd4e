using System.Text.Json;
using SafeMentor.Protocol.Identity;
using SafeMentor.Protocol.Keys;
using SafeMentor.Protocol.Prekeys;
using SafeMentor.Protocol.Primitives;
using SafeMentor.Protocol.Sessions;
using SafeMentor.Protocol.X3dh;

namespace SafeMentor.VectorGenerator;

/// <summary>
/// Produces tests/vectors/sessions.json by running each scenario through the protocol library with keys
/// injected by <see cref="DeterministicKeySource"/>, recording every wire message.
/// </summary>
public static class SessionVectors
{
    private const int RatchetKeysPerParty = 32;

    /// <summary>The exact text of sessions.json.</summary>
    public static string Generate() => VectorJson.Write(writer =>
    {
        writer.WriteStartArray();
        foreach (var scenario in SessionScenarios.All)
        {
            WriteVector(writer, scenario);
        }

        writer.WriteEndArray();
    });

    private static void WriteVector(Utf8JsonWriter writer, SessionScenario scenario)
    {
        var name = scenario.Name;
        var aliceSeed = TestKeys.Derive(name, "alice", "identity-signing");
        var aliceDh = TestKeys.Derive(name, "alice", "identity-dh");
        var aliceEphemeral = TestKeys.Derive(name, "alice", "ephemeral");
        var bobSeed = TestKeys.Derive(name, "bob", "identity-signing");
        var bobDh = TestKeys.Derive(name, "bob", "identity-dh");
        var bobSpk = TestKeys.Derive(name, "bob", "signed-prekey");
        var bobOpk = scenario.OneTimePrekeyId is null ? null : TestKeys.Derive(name, "bob", "one-time-prekey");
        var aliceRatchet = Enumerable.Range(0, RatchetKeysPerParty).Select(i => TestKeys.Derive(name, "alice", "ratchet", i)).ToList();
        var bobRatchet = Enumerable.Range(0, RatchetKeysPerParty).Select(i => TestKeys.Derive(name, "bob", "ratchet", i)).ToList();

        using var alice = LocalIdentity.Import(aliceSeed, aliceDh);
        using var bob = LocalIdentity.Import(bobSeed, bobDh);
        using var bobPrekeys = LocalPrekeys.CreateEmpty();
        bobPrekeys.ImportSignedPrekey(scenario.SignedPrekeyId, bobSpk, 0);
        if (bobOpk is not null)
        {
            bobPrekeys.ImportOneTimePrekey(scenario.OneTimePrekeyId!.Value, bobOpk);
        }

        using var alicePrekeys = LocalPrekeys.CreateEmpty();
        var aliceKeys = new DeterministicKeySource().Enqueue(KeyPurpose.Ephemeral, aliceEphemeral);
        var bobKeys = new DeterministicKeySource();
        aliceRatchet.ForEach(k => aliceKeys.Enqueue(KeyPurpose.Ratchet, k));
        bobRatchet.ForEach(k => bobKeys.Enqueue(KeyPurpose.Ratchet, k));

        var spk = bobPrekeys.CurrentSignedPrekey(bob);
        var bundle = new PrekeyBundle(
            bob.AccountId,
            bob.Public.SigningKey.ToArray(),
            bob.Public.DhKey.ToArray(),
            bob.Public.BindingSignature.ToArray(),
            spk.Id,
            spk.PublicKey,
            spk.Signature,
            scenario.OneTimePrekeyId,
            bobOpk is null ? null : Crypto.PublicKeyBytes(bobPrekeys.FindOneTimePrekey(scenario.OneTimePrekeyId!.Value)!));

        using var aliceRecord = SessionRecord.ForPeer(bob.AccountId);
        using var bobRecord = SessionRecord.ForPeer(alice.AccountId);
        aliceRecord.Initiate(alice, bundle, aliceKeys);

        // The shared secret recomputed on B's side from the same private keys: both must agree.
        using var ephemeral = Crypto.ImportPrivate(Crypto.X25519, aliceEphemeral);
        var sharedSecret = X3dhAgreement.InitiatorSecret(alice.DhKey, ephemeral, bundle.IdentityDhKey, bundle.SignedPrekey, bundle.OneTimePrekey);
        var responderSecret = X3dhAgreement.ResponderSecret(
            bob.DhKey,
            bobPrekeys.FindSignedPrekey(spk.Id)!,
            scenario.OneTimePrekeyId is { } opkId ? bobPrekeys.FindOneTimePrekey(opkId) : null,
            alice.Public.DhKey,
            Crypto.PublicKeyBytes(ephemeral));
        if (!sharedSecret.AsSpan().SequenceEqual(responderSecret))
        {
            throw new InvalidOperationException($"{name}: X3DH secrets differ.");
        }

        var wires = new Dictionary<string, (byte[] Payload, byte[] Wire)>();
        foreach (var step in scenario.Steps)
        {
            if (step is SendStep send)
            {
                var record = send.Party == "alice" ? aliceRecord : bobRecord;
                wires.Add(send.Id, (send.Payload, record.Encrypt(send.Payload)));
            }
            else
            {
                var (payload, wire) = wires[step.Id];
                var result = step.Party == "alice"
                    ? aliceRecord.Decrypt(wire, alice, alicePrekeys, aliceKeys)
                    : bobRecord.Decrypt(wire, bob, bobPrekeys, bobKeys);
                if (!result.Payload.AsSpan().SequenceEqual(payload))
                {
                    throw new InvalidOperationException($"{name}: {step.Id} decrypted to different bytes.");
                }
            }
        }

        writer.WriteStartObject();
        writer.WriteString("name", name);

        writer.WriteStartObject("alice");
        writer.Hex("identitySigningSeed", aliceSeed);
        writer.Hex("identityDhPrivate", aliceDh);
        writer.Hex("ephemeralPrivate", aliceEphemeral);
        WriteKeys(writer, "ratchetPrivates", aliceRatchet.Take(aliceKeys.Drawn(KeyPurpose.Ratchet)));
        writer.WriteEndObject();

        writer.WriteStartObject("bob");
        writer.Hex("identitySigningSeed", bobSeed);
        writer.Hex("identityDhPrivate", bobDh);
        writer.WriteNumber("signedPrekeyId", scenario.SignedPrekeyId);
        writer.Hex("signedPrekeyPrivate", bobSpk);
        if (scenario.OneTimePrekeyId is { } id)
        {
            writer.WriteNumber("oneTimePrekeyId", id);
            writer.Hex("oneTimePrekeyPrivate", bobOpk);
        }
        else
        {
            writer.WriteNull("oneTimePrekeyId");
            writer.WriteNull("oneTimePrekeyPrivate");
        }

        WriteKeys(writer, "ratchetPrivates", bobRatchet.Take(bobKeys.Drawn(KeyPurpose.Ratchet)));
        writer.WriteEndObject();

        writer.WriteStartObject("expected");
        writer.WriteString("aliceAccountId", alice.AccountId);
        writer.WriteString("bobAccountId", bob.AccountId);
        writer.Hex("aliceIdentitySignature", alice.Public.BindingSignature);
        writer.Hex("bobIdentitySignature", bob.Public.BindingSignature);
        writer.Hex("bobSignedPrekeySignature", spk.Signature);
        writer.Hex("sharedSecret", sharedSecret);
        writer.Hex("associatedData", X3dhAgreement.AssociatedData(alice.Public, bob.Public));
        writer.WriteString("safetyNumber", SafetyNumber.Compute(alice.Public, bob.Public));
        writer.WriteEndObject();

        writer.WriteStartArray("steps");
        foreach (var step in scenario.Steps)
        {
            writer.WriteStartObject();
            if (step is SendStep send)
            {
                writer.WriteString("op", "send");
                writer.WriteString("from", send.Party);
                writer.WriteString("id", send.Id);
                writer.Hex("payload", send.Payload);
                writer.Hex("wire", wires[send.Id].Wire);
            }
            else
            {
                writer.WriteString("op", "receive");
                writer.WriteString("to", step.Party);
                writer.WriteString("id", step.Id);
                writer.Hex("payload", wires[step.Id].Payload);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteKeys(Utf8JsonWriter writer, string name, IEnumerable<byte[]> keys)
    {
        writer.WriteStartArray(name);
        foreach (var key in keys)
        {
            writer.WriteStringValue(Convert.ToHexStringLower(key));
        }

        writer.WriteEndArray();
    }
}
