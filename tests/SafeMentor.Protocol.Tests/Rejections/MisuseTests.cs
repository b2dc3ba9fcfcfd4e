using SafeMentor.Protocol.Identity;
using SafeMentor.Protocol.Keys;
using SafeMentor.Protocol.Prekeys;
using SafeMentor.Protocol.Sessions;
using SafeMentor.Protocol.Statements;
using SafeMentor.Protocol.Tests.Support;

namespace SafeMentor.Protocol.Tests.Rejections;

/// <summary>Misuse by the caller (wrong lengths, nulls, oversized payloads or strings) throws Argument*Exception, never ProtocolException.</summary>
public sealed class MisuseTests
{
    [Theory]
    [InlineData(31, 32)]
    [InlineData(33, 32)]
    [InlineData(32, 0)]
    [InlineData(32, 64)]
    public void Import_WrongKeyLengths_ThrowsArgumentException(int seedLength, int dhLength)
    {
        Assert.Throws<ArgumentException>(() => LocalIdentity.Import(new byte[seedLength], new byte[dhLength]));
    }

    [Theory]
    [InlineData(31, 32, 64)]
    [InlineData(32, 33, 64)]
    [InlineData(32, 32, 63)]
    public void Verified_WrongLengths_ThrowsArgumentException(int signing, int dh, int signature)
    {
        Assert.Throws<ArgumentException>(() => PublicIdentity.Verified(new byte[signing], new byte[dh], new byte[signature]));
    }

    [Fact]
    public void FromSigningKey_WrongLength_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => AccountId.FromSigningKey(new byte[31]));
    }

    public static TheoryData<string, Func<PrekeyBundle, PrekeyBundle>> BadBundles => new()
    {
        { "signing key", b => new PrekeyBundle(b.AccountId, new byte[31], b.IdentityDhKey, b.IdentitySignature, 1, b.SignedPrekey, b.SignedPrekeySignature) },
        { "dh key", b => new PrekeyBundle(b.AccountId, b.IdentitySigningKey, new byte[33], b.IdentitySignature, 1, b.SignedPrekey, b.SignedPrekeySignature) },
        { "identity signature", b => new PrekeyBundle(b.AccountId, b.IdentitySigningKey, b.IdentityDhKey, new byte[32], 1, b.SignedPrekey, b.SignedPrekeySignature) },
        { "signed prekey", b => new PrekeyBundle(b.AccountId, b.IdentitySigningKey, b.IdentityDhKey, b.IdentitySignature, 1, new byte[0], b.SignedPrekeySignature) },
        { "signed prekey signature", b => new PrekeyBundle(b.AccountId, b.IdentitySigningKey, b.IdentityDhKey, b.IdentitySignature, 1, b.SignedPrekey, new byte[65]) },
        { "one-time prekey", b => new PrekeyBundle(b.AccountId, b.IdentitySigningKey, b.IdentityDhKey, b.IdentitySignature, 1, b.SignedPrekey, b.SignedPrekeySignature, 2, new byte[31]) },
        { "one-time id without key", b => new PrekeyBundle(b.AccountId, b.IdentitySigningKey, b.IdentityDhKey, b.IdentitySignature, 1, b.SignedPrekey, b.SignedPrekeySignature, 2, null) },
        { "one-time key without id", b => new PrekeyBundle(b.AccountId, b.IdentitySigningKey, b.IdentityDhKey, b.IdentitySignature, 1, b.SignedPrekey, b.SignedPrekeySignature, null, new byte[32]) },
    };

    [Theory]
    [MemberData(nameof(BadBundles))]
    public void PrekeyBundle_WrongFieldLengths_ThrowsArgumentException(string field, Func<PrekeyBundle, PrekeyBundle> build)
    {
        _ = field;
        using var bob = new Party("bob");
        var good = bob.Bundle(withOneTimePrekey: false);

        Assert.Throws<ArgumentException>(() => build(good));
    }

    [Fact]
    public void PrekeyBundle_NullField_ThrowsArgumentNullException()
    {
        using var bob = new Party("bob");
        var b = bob.Bundle(withOneTimePrekey: false);

        Assert.Throws<ArgumentNullException>(() => new PrekeyBundle(b.AccountId, null!, b.IdentityDhKey, b.IdentitySignature, 1, b.SignedPrekey, b.SignedPrekeySignature));
        Assert.Throws<ArgumentNullException>(() => new PrekeyBundle(null!, b.IdentitySigningKey, b.IdentityDhKey, b.IdentitySignature, 1, b.SignedPrekey, b.SignedPrekeySignature));
    }

    [Fact]
    public void Encrypt_PayloadOverMaximum_ThrowsArgumentOutOfRangeAndSendsNothing()
    {
        using var world = TestWorld.Established();
        var before = world.Alice.RecordFor(world.Bob).Serialize();

        Assert.Throws<ArgumentOutOfRangeException>(() => world.Alice.Send(world.Bob, new byte[ProtocolConstants.MaxPayloadLength + 1]));

        Assert.Equal(before, world.Alice.RecordFor(world.Bob).Serialize());
        TestWorld.Deliver(world.Alice, world.Bob, new byte[ProtocolConstants.MaxPayloadLength]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("bob")]
    [InlineData("sm_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("sm_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("sm_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1")]
    public void ForPeer_MalformedAccountId_ThrowsArgumentException(string peer)
    {
        Assert.Throws<ArgumentException>(() => SessionRecord.ForPeer(peer));
    }

    [Fact]
    public void Decrypt_NullArguments_ThrowArgumentNullException()
    {
        using var world = TestWorld.Initiated();
        var wire = world.Alice.Send(world.Bob, Payloads.Text("x"));
        var record = world.Bob.RecordFor(world.Alice);

        Assert.Throws<ArgumentNullException>(() => record.Decrypt(wire, null!, world.Bob.Prekeys));
        Assert.Throws<ArgumentNullException>(() => record.Decrypt(wire, world.Bob.Identity, null!));
        Assert.Throws<ArgumentNullException>(() => world.Alice.RecordFor(world.Bob).Initiate(world.Alice.Identity, null!));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(ProtocolConstants.MaxOneTimePrekeyBatch + 1)]
    public void GenerateOneTimePrekeys_CountOutOfRange_ThrowsArgumentOutOfRange(int count)
    {
        using var bob = new Party("bob");

        Assert.Throws<ArgumentOutOfRangeException>(() => bob.Prekeys.GenerateOneTimePrekeys(count));
    }

    [Fact]
    public void Enqueue_WrongKeyLength_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => new DeterministicKeySource().Enqueue(KeyPurpose.Ratchet, new byte[31]));
    }

    [Fact]
    public void Generate_EmptyDeterministicSource_ThrowsInvalidOperation()
    {
        Assert.Throws<InvalidOperationException>(() => new DeterministicKeySource().Generate(KeyPurpose.Ephemeral));
    }

    [Fact]
    public void SignedMessage_WrongSignedPrekeyLength_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => SignedPrekeys.SignedMessage(1, new byte[31]));
    }

    [Theory]
    [InlineData(31)]
    [InlineData(33)]
    public void AuthStatement_WrongNonceLength_ThrowsArgumentException(int length)
    {
        Assert.Throws<ArgumentException>(() => new AuthStatement("sm_x", new byte[length]));
    }

    [Fact]
    public void ConsentStatement_BadArguments_ThrowArgumentExceptions()
    {
        Assert.Throws<ArgumentException>(() => new ConsentStatement("m", new byte[31], ConsentDecision.Accept, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConsentStatement("m", new byte[32], (ConsentDecision)2, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConsentStatement("m", new byte[32], ConsentDecision.Accept, -1));
        Assert.Throws<ArgumentNullException>(() => new ConsentStatement(null!, new byte[32], ConsentDecision.Accept, 1));
    }

    [Fact]
    public void ExportConsentStatement_BadTimes_ThrowArgumentOutOfRange()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExportConsentStatement("m", "sm_x", -1, 5, "p", "r", 9, 9));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExportConsentStatement("m", "sm_x", 6, 5, "p", "r", 9, 9));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExportConsentStatement("m", "sm_x", 1, 5, "p", "r", -9, 9));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExportConsentStatement("m", "sm_x", 1, 5, "p", "r", 9, -9));
    }

    public static TheoryData<string, int, bool> StringSizes => new()
    {
        { "a", 65535, true },
        { "a", 65536, false },
        { "é", 32767, true },   // 65534 UTF-8 bytes
        { "é", 32768, false },  // 65536 UTF-8 bytes in only 32768 chars
        { "€", 21845, true },   // 65535 UTF-8 bytes
        { "€", 21846, false },
    };

    [Theory]
    [MemberData(nameof(StringSizes))]
    public void Sign_StatementStringOver65535Utf8Bytes_ThrowsArgumentException(string unit, int repeat, bool fits)
    {
        using var signer = LocalIdentity.Create();
        var text = string.Concat(Enumerable.Repeat(unit, repeat));
        ISignedStatement[] statements =
        [
            new ConsentStatement(text, new byte[32], ConsentDecision.Accept, 1),
            new AuthStatement(text, new byte[32]),
            new ExportConsentStatement("m", text, 1, 2, "p", "r", 3, 4),
            new ExportConsentStatement("m", "sm_x", 1, 2, text, "r", 3, 4),
            new ExportConsentStatement("m", "sm_x", 1, 2, "p", text, 3, 4),
        ];

        foreach (var statement in statements)
        {
            if (fits)
            {
                var signature = StatementSigner.Sign(signer, statement);
                Assert.True(StatementSigner.Verify(signer.Public, statement, signature));
            }
            else
            {
                Assert.Throws<ArgumentException>(() => StatementSigner.Sign(signer, statement));
            }
        }
    }

    [Fact]
    public void Sign_StatementWithLoneSurrogate_ThrowsArgumentException()
    {
        using var signer = LocalIdentity.Create();

        Assert.Throws<ArgumentException>(() => StatementSigner.Sign(signer, new AuthStatement("sm_\uD800", new byte[32])));
    }
}
