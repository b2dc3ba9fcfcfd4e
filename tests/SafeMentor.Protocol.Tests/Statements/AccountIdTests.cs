using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using SafeMentor.Protocol.Identity;
using SafeMentor.Protocol.Tests.Support;

namespace SafeMentor.Protocol.Tests.Statements;

/// <summary>Account ids: <c>"sm_" || base32lower(SHA-256(IKs_pub)[0..20))</c>, 32 characters after the prefix.</summary>
public sealed partial class AccountIdTests
{
    [GeneratedRegex("^sm_[a-z2-7]{32}$")]
    private static partial Regex Shape();

    [Fact]
    public void AccountId_NewIdentities_AreSmPrefixAnd32Base32Characters()
    {
        for (var i = 0; i < 20; i++)
        {
            using var identity = LocalIdentity.Create();

            Assert.Matches(Shape(), identity.AccountId);
            Assert.Equal(AccountId.Length, identity.AccountId.Length);
            Assert.True(AccountId.IsWellFormed(identity.AccountId));
            Assert.Equal(identity.AccountId, identity.Public.AccountId);
            Assert.Equal(identity.AccountId, AccountId.FromSigningKey(identity.Public.SigningKey));
        }
    }

    [Fact]
    public void FromSigningKey_Rfc8032Test1Key_MatchesTheSpecDerivation()
    {
        var key = Hex.Decode("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");

        Assert.Equal(SpecAccountId(key), AccountId.FromSigningKey(key));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void FromSigningKey_ArbitraryKeys_MatchTheSpecDerivation(int seed)
    {
        var key = new byte[32];
        new Random(seed).NextBytes(key);

        Assert.Equal(SpecAccountId(key), AccountId.FromSigningKey(key));
    }

    [Fact]
    public void FromSigningKey_KeysDifferingInOneBit_GiveDifferentIds()
    {
        var key = new byte[32];
        var other = new byte[32];
        other[31] = 1;

        Assert.NotEqual(AccountId.FromSigningKey(key), AccountId.FromSigningKey(other));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("sm_")]
    [InlineData("sm_abcdefghijklmnopqrstuvwxyz23456")]
    [InlineData("sm_abcdefghijklmnopqrstuvwxyz2345678")]
    [InlineData("xx_abcdefghijklmnopqrstuvwxyz234567")]
    [InlineData("SM_abcdefghijklmnopqrstuvwxyz234567")]
    [InlineData("sm_Abcdefghijklmnopqrstuvwxyz234567")]
    [InlineData("sm_abcdefghijklmnopqrstuvwxyz234561")]
    [InlineData("sm_abcdefghijklmnopqrstuvwxyz234560")]
    [InlineData("sm_abcdefghijklmnopqrstuvwxyz234568")]
    [InlineData("sm_abcdefghijklmnopqrstuvwxyz23456=")]
    public void IsWellFormed_WrongShape_IsFalse(string? value)
    {
        Assert.False(AccountId.IsWellFormed(value));
    }

    [Fact]
    public void IsWellFormed_AllAlphabetCharacters_IsTrue()
    {
        Assert.True(AccountId.IsWellFormed("sm_abcdefghijklmnopqrstuvwxyz234567"));
    }

    /// <summary>The spec's derivation written out independently: RFC 4648 base32, lower case, no padding.</summary>
    private static string SpecAccountId(byte[] signingKey)
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        var digest = SHA256.HashData(signingKey)[..20];
        var bits = new StringBuilder();
        foreach (var b in digest)
        {
            bits.Append(Convert.ToString(b, 2).PadLeft(8, '0'));
        }

        var text = new StringBuilder("sm_");
        for (var i = 0; i < bits.Length; i += 5)
        {
            text.Append(alphabet[Convert.ToInt32(bits.ToString(i, 5), 2)]);
        }

        return text.ToString();
    }
}
