using SafeMentor.Protocol.Identity;
using SafeMentor.Protocol.Statements;
using SafeMentor.VectorGenerator;

namespace SafeMentor.Protocol.Tests.Vectors;

/// <summary>Rebuilds each export record of tests/vectors/export-records.json: content bytes, hash, statement and signature.</summary>
public sealed class ExportRecordVectorTests
{
    private const string File = "export-records.json";

    public static IEnumerable<object[]> Names => VectorFiles.Names(File);

    [Theory]
    [MemberData(nameof(Names))]
    public void Record_RebuiltFromMessagesAndFields_MatchesHashesAndSignature(string name)
    {
        var v = VectorFiles.Named(File, name);
        var messages = v.GetProperty("messages").EnumerateArray()
            .Select(m => new ExportedMessage(m.GetProperty("messageId").GetString()!, m.GetProperty("senderAccountId").GetString()!, m.GetProperty("sentAtMs").GetInt64(), m.GetProperty("text").GetString()!))
            .ToList();
        Assert.Equal(v.Hex("contentCanonical"), ExportContent.CanonicalBytes(messages));
        Assert.Equal(v.Hex("contentHash"), ExportContent.Hash(messages));

        var f = v.GetProperty("fields");
        var statement = new ExportRecordStatement(
            f.GetProperty("mentorshipId").GetString()!,
            f.GetProperty("exporterAccountId").GetString()!,
            f.GetProperty("counterpartAccountId").GetString()!,
            f.Hex("groundRulesHash"),
            f.Hex("exporterConsentSignature"),
            f.Hex("counterpartConsentSignature"),
            f.GetProperty("fromMs").GetInt64(),
            f.GetProperty("toMs").GetInt64(),
            f.Hex("exportConsentSignature"),
            f.GetProperty("messageCount").GetUInt32(),
            f.Hex("contentHash"),
            f.GetProperty("createdAtMs").GetInt64());
        Assert.Equal(v.Hex("message"), statement.ToSignedBytes());
        Assert.Equal(v.Hex("recordHash"), statement.RecordHash());
        using var exporter = LocalIdentity.Import(v.Hex("exporterSigningSeed"), new byte[32]);
        Assert.Equal(f.GetProperty("exporterAccountId").GetString(), exporter.AccountId);
        Assert.True(StatementSigner.Verify(exporter.Public, statement, v.Hex("signature")));
    }

    [Fact]
    public void ExportRecordsJson_Regenerated_IsByteForByteIdentical()
        => Assert.Equal(VectorFiles.Text(File), ExportRecordVectors.Generate());
}
