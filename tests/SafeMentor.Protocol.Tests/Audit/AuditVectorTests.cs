using System.Text.Json;
using SafeMentor.Protocol.Audit;
using SafeMentor.Protocol.Tests.Vectors;
using SafeMentor.VectorGenerator;

namespace SafeMentor.Protocol.Tests.Audit;

/// <summary>Rebuilds tests/vectors/audit.json from its fields: every canonical byte string, hash and the checkpoint signature.</summary>
public sealed class AuditVectorTests
{
    private const string File = "audit.json";

    [Fact]
    public void Chain_RebuiltFromFields_MatchesEveryByteAndHash()
    {
        using var document = JsonDocument.Parse(VectorFiles.Text(File));
        var root = document.RootElement;
        var prev = AuditHashing.GenesisHash();
        var entries = new List<AuditEntry>();
        foreach (var e in root.GetProperty("entries").EnumerateArray())
        {
            var b = e.GetProperty("body");
            var body = new AuditBody(b.GetProperty("programmeId").GetString()!, b.GetProperty("actor").GetString()!, b.GetProperty("target").GetString()!, b.GetProperty("before").GetString()!, b.GetProperty("after").GetString()!);
            var seq = e.GetProperty("seq").GetInt64();
            var time = e.GetProperty("timeMs").GetInt64();
            var action = e.GetProperty("action").GetString()!;

            Assert.Equal(e.Hex("bodyBytes"), AuditHashing.BodyBytes(body));
            Assert.Equal(e.Hex("bodyHash"), body.ComputeHash());
            Assert.Equal(e.Hex("prevHash"), prev);
            Assert.Equal(e.Hex("entryBytes"), AuditHashing.EntryBytes(seq, time, action, body.ComputeHash(), prev));
            Assert.Equal(e.Hex("hash"), AuditHashing.EntryHash(seq, time, action, body.ComputeHash(), prev));
            entries.Add(new AuditEntry(seq, time, action, e.Hex("bodyHash"), prev, e.Hex("hash"), body));
            prev = e.Hex("hash");
        }

        var c = root.GetProperty("checkpoint");
        var publicKey = root.Hex("serverPublicKey");
        var checkpoint = new AuditCheckpoint(c.GetProperty("seq").GetInt64(), c.Hex("headHash"), c.GetProperty("timeMs").GetInt64(), c.Hex("signature"));
        Assert.Equal(c.Hex("signedBytes"), AuditHashing.CheckpointBytes(publicKey, checkpoint.Seq, checkpoint.HeadHash, checkpoint.TimeMs));
        Assert.True(checkpoint.Verify(publicKey));
        using (var key = AuditSigningKey.Import(root.Hex("serverSeed")))
        {
            Assert.Equal(publicKey, key.PublicKey);
            Assert.Equal(checkpoint.Signature, key.SignCheckpoint(checkpoint.Seq, checkpoint.HeadHash, checkpoint.TimeMs).Signature);
        }

        var result = AuditChainVerifier.Verify(entries, [checkpoint], publicKey);
        Assert.True(result.IsValid, result.Break?.Message);
        Assert.Equal(3, result.EntriesChecked);
        Assert.Equal(0, result.UncoveredEntries);
    }

    [Fact]
    public void AuditJson_Regenerated_IsByteForByteIdentical()
        => Assert.Equal(VectorFiles.Text(File), AuditVectors.Generate());
}
