using System.Buffers.Binary;
using System.Text;
using SafeMentor.Protocol.Identity;
using SafeMentor.Protocol.Statements;

namespace SafeMentor.Protocol.Tests.Statements;

/// <summary>Signed statements (docs/protocol.md, Signed statements): exact encodings, signing, and verification failures.</summary>
public sealed class StatementSigningTests
{
    private static readonly byte[] s_rulesHash = Enumerable.Range(0, 32).Select(i => (byte)(0xA0 + i)).ToArray();
    private static readonly byte[] s_nonce = Enumerable.Range(0, 32).Select(i => (byte)(255 - i)).ToArray();

    private static ConsentStatement Consent() => new("mentorship-42", s_rulesHash, ConsentDecision.Accept, 1_700_000_000_123);

    private static AuthStatement Auth() => new("sm_abcdefghijklmnopqrstuvwxyz234567", s_nonce);

    private static ExportConsentStatement Export() => new("mentorship-42", "sm_abcdefghijklmnopqrstuvwxyz234567", 1_000, 2_000, "Safeguarding review", "Designated lead, Zoë Brontë", 3_000, 4_000);

    public static TheoryData<string> Kinds => new() { "consent", "auth", "export-consent" };

    private static ISignedStatement Build(string kind) => kind switch
    {
        "consent" => Consent(),
        "auth" => Auth(),
        _ => Export(),
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Sign_EachKind_VerifiesUnderSignerOnly(string kind)
    {
        using var signer = LocalIdentity.Create();
        using var other = LocalIdentity.Create();
        var statement = Build(kind);

        var signature = StatementSigner.Sign(signer, statement);

        Assert.Equal(ProtocolConstants.SignatureSize, signature.Length);
        Assert.True(StatementSigner.Verify(signer.Public, statement, signature));
        Assert.True(StatementSigner.Verify(signer.Public.SigningKey, statement, signature));
        StatementSigner.RequireValid(signer.Public, statement, signature);
        Assert.False(StatementSigner.Verify(other.Public, statement, signature));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Verify_AlteredOrTruncatedSignature_Fails(string kind)
    {
        using var signer = LocalIdentity.Create();
        var statement = Build(kind);
        var signature = StatementSigner.Sign(signer, statement);

        for (var i = 0; i < signature.Length; i += 9)
        {
            var altered = signature.ToArray();
            altered[i] ^= 0x10;
            Assert.False(StatementSigner.Verify(signer.Public, statement, altered));
            var e = Assert.Throws<ProtocolException>(() => StatementSigner.RequireValid(signer.Public, statement, altered));
            Assert.Equal(ProtocolError.InvalidSignature, e.Error);
        }

        Assert.False(StatementSigner.Verify(signer.Public, statement, signature.AsSpan(0, 63)));
        Assert.False(StatementSigner.Verify(signer.Public.SigningKey[..31], statement, signature));
    }

    public static TheoryData<string, ISignedStatement> ChangedStatements
    {
        get
        {
            var otherHash = s_rulesHash.ToArray();
            otherHash[31] ^= 1;
            var otherNonce = s_nonce.ToArray();
            otherNonce[0] ^= 1;
            return new()
            {
                { "consent", new ConsentStatement("mentorship-43", s_rulesHash, ConsentDecision.Accept, 1_700_000_000_123) },
                { "consent", new ConsentStatement("mentorship-42", otherHash, ConsentDecision.Accept, 1_700_000_000_123) },
                { "consent", new ConsentStatement("mentorship-42", s_rulesHash, ConsentDecision.Withdraw, 1_700_000_000_123) },
                { "consent", new ConsentStatement("mentorship-42", s_rulesHash, ConsentDecision.Accept, 1_700_000_000_124) },
                { "auth", new AuthStatement("sm_abcdefghijklmnopqrstuvwxyz234566", s_nonce) },
                { "auth", new AuthStatement("sm_abcdefghijklmnopqrstuvwxyz234567", otherNonce) },
                { "export-consent", new ExportConsentStatement("mentorship-43", "sm_abcdefghijklmnopqrstuvwxyz234567", 1_000, 2_000, "Safeguarding review", "Designated lead, Zoë Brontë", 3_000, 4_000) },
                { "export-consent", new ExportConsentStatement("mentorship-42", "sm_bbcdefghijklmnopqrstuvwxyz234567", 1_000, 2_000, "Safeguarding review", "Designated lead, Zoë Brontë", 3_000, 4_000) },
                { "export-consent", new ExportConsentStatement("mentorship-42", "sm_abcdefghijklmnopqrstuvwxyz234567", 999, 2_000, "Safeguarding review", "Designated lead, Zoë Brontë", 3_000, 4_000) },
                { "export-consent", new ExportConsentStatement("mentorship-42", "sm_abcdefghijklmnopqrstuvwxyz234567", 1_000, 2_001, "Safeguarding review", "Designated lead, Zoë Brontë", 3_000, 4_000) },
                { "export-consent", new ExportConsentStatement("mentorship-42", "sm_abcdefghijklmnopqrstuvwxyz234567", 1_000, 2_000, "Safeguarding review.", "Designated lead, Zoë Brontë", 3_000, 4_000) },
                { "export-consent", new ExportConsentStatement("mentorship-42", "sm_abcdefghijklmnopqrstuvwxyz234567", 1_000, 2_000, "Safeguarding review", "Designated lead, Zoe Brontë", 3_000, 4_000) },
                { "export-consent", new ExportConsentStatement("mentorship-42", "sm_abcdefghijklmnopqrstuvwxyz234567", 1_000, 2_000, "Safeguarding review", "Designated lead, Zoë Brontë", 3_001, 4_000) },
                { "export-consent", new ExportConsentStatement("mentorship-42", "sm_abcdefghijklmnopqrstuvwxyz234567", 1_000, 2_000, "Safeguarding review", "Designated lead, Zoë Brontë", 3_000, 4_001) },
                // Moving characters between adjacent strings keeps the concatenation but not the length prefixes.
                { "export-consent", new ExportConsentStatement("mentorship-42", "sm_abcdefghijklmnopqrstuvwxyz234567", 1_000, 2_000, "Safeguarding reviewD", "esignated lead, Zoë Brontë", 3_000, 4_000) },
            };
        }
    }

    [Theory]
    [MemberData(nameof(ChangedStatements))]
    public void Verify_StatementWithOneFieldChanged_Fails(string kind, ISignedStatement changed)
    {
        using var signer = LocalIdentity.Create();
        var signature = StatementSigner.Sign(signer, Build(kind));

        Assert.False(StatementSigner.Verify(signer.Public, changed, signature));
        Assert.NotEqual(Build(kind).ToSignedBytes(), changed.ToSignedBytes());
    }

    [Fact]
    public void ToSignedBytes_Consent_FollowsTheSpecLayout()
    {
        var expected = Concat(
            Label("SafeMentor/v1/consent"),
            Str("mentorship-42"),
            s_rulesHash,
            [1],
            U64(1_700_000_000_123));

        Assert.Equal(expected, Consent().ToSignedBytes());
        Assert.Equal(0, new ConsentStatement("mentorship-42", s_rulesHash, ConsentDecision.Withdraw, 1_700_000_000_123).ToSignedBytes()[^9]);
    }

    [Fact]
    public void ToSignedBytes_Auth_FollowsTheSpecLayout()
    {
        var expected = Concat(Label("SafeMentor/v1/auth"), Str("sm_abcdefghijklmnopqrstuvwxyz234567"), s_nonce);

        Assert.Equal(expected, Auth().ToSignedBytes());
    }

    [Fact]
    public void ToSignedBytes_ExportConsentWithNonAsciiText_FollowsTheSpecLayout()
    {
        var expected = Concat(
            Label("SafeMentor/v1/export-consent"),
            Str("mentorship-42"),
            Str("sm_abcdefghijklmnopqrstuvwxyz234567"),
            U64(1_000),
            U64(2_000),
            Str("Safeguarding review"),
            Str("Designated lead, Zoë Brontë"),
            U64(3_000),
            U64(4_000));

        Assert.Equal(expected, Export().ToSignedBytes());
    }

    [Fact]
    public void ToSignedBytes_UnnormalisedString_IsSignedExactlyAsGiven()
    {
        using var signer = LocalIdentity.Create();
        var composed = new AuthStatement("Zo\u00EB", s_nonce);
        var decomposed = new AuthStatement("Zoe\u0308", s_nonce);

        Assert.Equal(Concat(Label("SafeMentor/v1/auth"), [0, 4], "Zo"u8.ToArray(), [0xC3, 0xAB], s_nonce), composed.ToSignedBytes());
        Assert.Equal(Concat(Label("SafeMentor/v1/auth"), [0, 5], "Zoe"u8.ToArray(), [0xCC, 0x88], s_nonce), decomposed.ToSignedBytes());
        Assert.False(StatementSigner.Verify(signer.Public, decomposed, StatementSigner.Sign(signer, composed)));
    }

    [Fact]
    public void ToSignedBytes_EmptyStrings_AreZeroLengthPrefixes()
    {
        var statement = new ExportConsentStatement("", "", 0, 0, "", "", 0, 0);

        Assert.Equal(Concat(Label("SafeMentor/v1/export-consent"), [0, 0, 0, 0], new byte[16], [0, 0, 0, 0], new byte[16]), statement.ToSignedBytes());
    }

    private static byte[] Label(string label) => [(byte)label.Length, .. Encoding.ASCII.GetBytes(label)];

    private static byte[] Str(string value)
    {
        var utf8 = Encoding.UTF8.GetBytes(value);
        var prefix = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(prefix, (ushort)utf8.Length);
        return [.. prefix, .. utf8];
    }

    private static byte[] U64(long value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, (ulong)value);
        return bytes;
    }

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
}
