using System.Text.Json;
using SafeMentor.Protocol.Identity;
using SafeMentor.Protocol.Statements;

namespace SafeMentor.Protocol.Tests.Vectors;

/// <summary>Rebuilds each statement of tests/vectors/statements.json from its fields and checks bytes and signature.</summary>
public sealed class StatementVectorTests
{
    private const string File = "statements.json";

    public static IEnumerable<object[]> Names => VectorFiles.Names(File);

    [Theory]
    [MemberData(nameof(Names))]
    public void Message_RebuiltFromFields_MatchesAndSignatureVerifies(string name)
    {
        var v = VectorFiles.Named(File, name);
        var statement = Build(v.GetProperty("kind").GetString()!, v.GetProperty("fields"));
        var message = statement.ToSignedBytes();
        Assert.Equal(v.Hex("message"), message);

        var seed = v.Hex("signingSeed");
        using var signer = LocalIdentity.Import(seed, new byte[32]);
        Assert.True(StatementSigner.Verify(signer.Public, statement, v.Hex("signature")));
        Assert.Equal(v.Hex("signature"), StatementSigner.Sign(signer, statement));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Signature_OverChangedMessage_DoesNotVerify(string name)
    {
        var v = VectorFiles.Named(File, name);
        using var signer = LocalIdentity.Import(v.Hex("signingSeed"), new byte[32]);
        var message = v.Hex("message");
        message[^1] ^= 0x01;
        Assert.False(signer.Public.VerifySignature(message, v.Hex("signature")));
    }

    [Fact]
    public void Vectors_AsAWhole_CoverEveryKindAndANonAsciiString()
    {
        var vectors = VectorFiles.Load(File);
        foreach (var kind in new[] { "consent", "auth", "export-consent" })
        {
            Assert.Contains(vectors, v => v.GetProperty("kind").GetString() == kind);
        }

        Assert.Contains(vectors, v => v.GetProperty("fields").EnumerateObject().Any(f => f.Value.ValueKind == JsonValueKind.String && f.Value.GetString()!.Any(c => c > 0x7F)));
    }

    [Fact]
    public void AuthVector_AccountId_IsTheSignersOwn()
    {
        foreach (var v in VectorFiles.Load(File).Where(v => v.GetProperty("kind").GetString() == "auth"))
        {
            using var signer = LocalIdentity.Import(v.Hex("signingSeed"), new byte[32]);
            Assert.Equal(signer.AccountId, v.GetProperty("fields").GetProperty("accountId").GetString());
        }
    }

    private static ISignedStatement Build(string kind, JsonElement f) => kind switch
    {
        "consent" => new ConsentStatement(
            f.GetProperty("mentorshipId").GetString()!,
            f.Hex("groundRulesHash"),
            (ConsentDecision)f.GetProperty("decision").GetByte(),
            f.GetProperty("timestampMs").GetInt64()),
        "auth" => new AuthStatement(f.GetProperty("accountId").GetString()!, f.Hex("nonce")),
        "export-consent" => new ExportConsentStatement(
            f.GetProperty("mentorshipId").GetString()!,
            f.GetProperty("exporterAccountId").GetString()!,
            f.GetProperty("fromMs").GetInt64(),
            f.GetProperty("toMs").GetInt64(),
            f.GetProperty("purpose").GetString()!,
            f.GetProperty("recipient").GetString()!,
            f.GetProperty("expiresMs").GetInt64(),
            f.GetProperty("timestampMs").GetInt64()),
        _ => throw new InvalidDataException($"Unknown statement kind {kind}."),
    };
}
