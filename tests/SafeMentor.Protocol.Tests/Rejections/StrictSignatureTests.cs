using SafeMentor.Protocol.Identity;
using SafeMentor.Protocol.Prekeys;
using SafeMentor.Protocol.Primitives;
using SafeMentor.Protocol.Sessions;
using SafeMentor.Protocol.Statements;
using SafeMentor.Protocol.Tests.Support;

namespace SafeMentor.Protocol.Tests.Rejections;

/// <summary>
/// Ed25519 verification is strict (docs/protocol.md, Primitives). With the neutral point as public key and as R, and
/// S = 0, the cofactorless equation [S]B = R + [k]A holds for every message, so a lax verifier would accept
/// these "signatures" for anything. Strict verification refuses small-order keys.
/// </summary>
public sealed class StrictSignatureTests
{
    private static readonly byte[] s_neutral = Hex.Decode("0100000000000000000000000000000000000000000000000000000000000000");
    private static readonly byte[] s_trivialSignature = [.. s_neutral, .. new byte[32]];

    [Fact]
    public void Verify_SmallOrderPublicKeyWithTrivialSignature_IsFalse()
    {
        Assert.False(Crypto.Verify(s_neutral, "anything at all"u8, s_trivialSignature));
        Assert.False(StatementSigner.Verify(s_neutral, new AuthStatement(AccountId.FromSigningKey(s_neutral), new byte[32]), s_trivialSignature));
    }

    [Fact]
    public void Verified_SmallOrderSigningKeyWithTrivialBinding_ThrowsInvalidSignature()
    {
        using var bob = new Party("bob");

        var e = Assert.Throws<ProtocolException>(() => PublicIdentity.Verified(s_neutral, bob.Identity.Public.DhKey, s_trivialSignature));

        Assert.Equal(ProtocolError.InvalidSignature, e.Error);
    }

    [Fact]
    public void Initiate_BundleWithSmallOrderSigningKeyAndTrivialSignatures_ThrowsInvalidSignature()
    {
        using var alice = new Party("alice");
        using var bob = new Party("bob");
        var genuine = bob.Bundle(withOneTimePrekey: false);
        var accountId = AccountId.FromSigningKey(s_neutral);
        var bundle = new PrekeyBundle(accountId, s_neutral, genuine.IdentityDhKey, s_trivialSignature, genuine.SignedPrekeyId, genuine.SignedPrekey, s_trivialSignature);
        using var record = SessionRecord.ForPeer(accountId);

        var e = Assert.Throws<ProtocolException>(() => record.Initiate(alice.Identity, bundle));

        Assert.Equal(ProtocolError.InvalidSignature, e.Error);
        Assert.False(record.HasSession);
    }
}
