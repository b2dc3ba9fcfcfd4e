using System.Text.RegularExpressions;
using SafeMentor.Protocol.Identity;
using SafeMentor.Protocol.Keys;
using SafeMentor.Protocol.Tests.Support;

namespace SafeMentor.Protocol.Tests.State;

/// <summary>Types that hold secrets never print key bytes from ToString().</summary>
public sealed partial class SecretHolderTests
{
    [GeneratedRegex("[0-9a-fA-F]{16,}")]
    private static partial Regex LongHexRun();

    [Fact]
    public void ToString_LocalIdentity_ContainsNoKeyBytes()
    {
        using var identity = LocalIdentity.Create();
        var seed = new byte[32];
        var dh = new byte[32];
        identity.ExportPrivateKeys(seed, dh);

        AssertNoSecrets(identity.ToString(), seed, dh, identity.Public.SigningKey.ToArray(), identity.Public.DhKey.ToArray());
        Assert.Contains(identity.AccountId, identity.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_LocalPrekeys_ContainsNoKeyBytes()
    {
        using var bob = new Party("bob");
        var oneTime = bob.Prekeys.GenerateOneTimePrekeys(3);
        var state = bob.Prekeys.Serialize();

        AssertNoSecrets(bob.Prekeys.ToString(), [.. oneTime.Select(p => p.PublicKey), state[21..53]]);
    }

    [Fact]
    public void ToString_SessionRecord_ContainsNoKeyBytes()
    {
        using var world = TestWorld.Established();
        var record = world.Bob.RecordFor(world.Alice);
        var state = record.Serialize();
        var windows = Enumerable.Range(0, (state.Length / 8) - 1).Select(i => state[(i * 8)..((i * 8) + 8)]).ToArray();

        AssertNoSecrets(record.ToString(), windows);
    }

    [Fact]
    public void ToString_DeterministicKeySource_ContainsNoKeyBytes()
    {
        var key = Enumerable.Range(1, 32).Select(i => (byte)(i * 7)).ToArray();
        var source = new DeterministicKeySource().Enqueue(KeyPurpose.Ratchet, key).Enqueue(KeyPurpose.IdentitySigning, key);

        AssertNoSecrets(source.ToString(), key);
    }

    private static void AssertNoSecrets(string text, params byte[][] secrets)
    {
        Assert.DoesNotMatch(LongHexRun(), text);
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(Convert.ToHexString(secret), text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(Convert.ToBase64String(secret), text, StringComparison.Ordinal);
        }
    }
}
