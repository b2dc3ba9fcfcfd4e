using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using SafeMentor.Protocol.Identity;
using SafeMentor.Protocol.Tests.Support;

namespace SafeMentor.Protocol.Tests.Statements;

/// <summary>Safety numbers: symmetric, twelve groups of five digits, and changed by any change of either key.</summary>
public sealed partial class SafetyNumberTests
{
    [GeneratedRegex(@"^\d{5}( \d{5}){11}$")]
    private static partial Regex Shape();

    [Fact]
    public void Compute_EitherOrder_GivesTheSameTwelveGroupsOfFiveDigits()
    {
        using var alice = LocalIdentity.Create();
        using var bob = LocalIdentity.Create();

        var ab = SafetyNumber.Compute(alice.Public, bob.Public);
        var ba = SafetyNumber.Compute(bob.Public, alice.Public);

        Assert.Equal(ab, ba);
        Assert.Matches(Shape(), ab);
        Assert.Equal(71, ab.Length);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Compute_KnownKeys_MatchesTheSpecFormula(int seed)
    {
        var random = new Random(seed);
        var keys = new byte[4][];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = new byte[32];
            random.NextBytes(keys[i]);
        }

        using var a = LocalIdentity.Import(keys[0], keys[1]);
        using var b = LocalIdentity.Import(keys[2], keys[3]);

        Assert.Equal(SpecSafetyNumber(a.Public, b.Public), SafetyNumber.Compute(a.Public, b.Public));
    }

    [Fact]
    public void Compute_SameKeysImportedAgain_GivesTheSameNumber()
    {
        var seedA = Hex.Decode("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
        var seedB = Hex.Decode("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb");
        var dhA = Hex.Decode("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
        var dhB = Hex.Decode("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
        using var a1 = LocalIdentity.Import(seedA, dhA);
        using var b1 = LocalIdentity.Import(seedB, dhB);
        using var a2 = LocalIdentity.Import(seedA, dhA);
        using var b2 = LocalIdentity.Import(seedB, dhB);

        Assert.Equal(SafetyNumber.Compute(a1.Public, b1.Public), SafetyNumber.Compute(b2.Public, a2.Public));
    }

    [Fact]
    public void Compute_ChangedDhKeyOrSigningKey_ChangesTheNumber()
    {
        var seed = new byte[32];
        var dh = new byte[32];
        seed[0] = 1;
        dh[0] = 2;
        var otherSeed = seed.ToArray();
        otherSeed[31] = 9;
        var otherDh = dh.ToArray();
        otherDh[31] = 9;
        using var bob = LocalIdentity.Create();
        using var alice = LocalIdentity.Import(seed, dh);
        using var aliceNewDh = LocalIdentity.Import(seed, otherDh);
        using var aliceNewSigning = LocalIdentity.Import(otherSeed, dh);

        var original = SafetyNumber.Compute(alice.Public, bob.Public);

        Assert.NotEqual(original, SafetyNumber.Compute(aliceNewDh.Public, bob.Public));
        Assert.NotEqual(original, SafetyNumber.Compute(aliceNewSigning.Public, bob.Public));
        Assert.Equal(alice.AccountId, aliceNewDh.AccountId);
    }

    [Fact]
    public void Compute_Null_ThrowsArgumentNullException()
    {
        using var alice = LocalIdentity.Create();

        Assert.Throws<ArgumentNullException>(() => SafetyNumber.Compute(alice.Public, null!));
    }

    /// <summary>The spec's formula with the BCL's HKDF: sort the fingerprints, HKDF to 60 bytes, twelve u40 mod 100000.</summary>
    private static string SpecSafetyNumber(PublicIdentity a, PublicIdentity b)
    {
        byte[] fa = [.. a.SigningKey, .. a.DhKey];
        byte[] fb = [.. b.SigningKey, .. b.DhKey];
        var (lo, hi) = fa.AsSpan().SequenceCompareTo(fb) < 0 ? (fa, fb) : (fb, fa);
        var okm = HKDF.DeriveKey(HashAlgorithmName.SHA256, [.. lo, .. hi], 60, new byte[32], Encoding.ASCII.GetBytes("SafeMentor/v1/safety-number"));
        var groups = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            ulong value = 0;
            for (var j = 0; j < 5; j++)
            {
                value = (value << 8) | okm[(5 * i) + j];
            }

            groups.Add((value % 100000).ToString("D5", System.Globalization.CultureInfo.InvariantCulture));
        }

        return string.Join(' ', groups);
    }
}
