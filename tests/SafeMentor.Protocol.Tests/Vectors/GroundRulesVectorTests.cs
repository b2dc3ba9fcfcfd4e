using SafeMentor.Protocol.Statements;
using SafeMentor.VectorGenerator;

namespace SafeMentor.Protocol.Tests.Vectors;

/// <summary>Rebuilds each ground-rules version of tests/vectors/ground-rules.json and checks encoding and hash.</summary>
public sealed class GroundRulesVectorTests
{
    private const string File = "ground-rules.json";

    public static IEnumerable<object[]> Names => VectorFiles.Names(File);

    [Theory]
    [MemberData(nameof(Names))]
    public void Hash_RebuiltFromFields_MatchesCanonicalBytesAndHash(string name)
    {
        var v = VectorFiles.Named(File, name);
        var f = v.GetProperty("fields");
        var rules = new GroundRules(
            f.GetProperty("programmeId").GetString()!,
            f.GetProperty("version").GetUInt32(),
            f.GetProperty("text").GetString()!,
            f.GetProperty("undeliveredRetentionMs").GetInt64(),
            f.GetProperty("clientHistoryRetentionMs").GetInt64(),
            f.GetProperty("exportAllowed").GetBoolean(),
            f.GetProperty("contactHours").GetString()!,
            f.GetProperty("expectedResponseHours").GetUInt32());

        Assert.Equal(v.Hex("canonical"), rules.ToCanonicalBytes());
        Assert.Equal(v.Hex("groundRulesHash"), rules.ComputeHash());
    }

    [Fact]
    public void GroundRulesJson_Regenerated_IsByteForByteIdentical()
        => Assert.Equal(VectorFiles.Text(File), GroundRulesVectors.Generate());

    [Fact]
    public void Hash_AnyTermChanged_Changes()
    {
        var baseline = new GroundRules("pg", 1, "text", 1, 2, false, "hours", 3);
        var variants = new[]
        {
            new GroundRules("pg2", 1, "text", 1, 2, false, "hours", 3),
            new GroundRules("pg", 2, "text", 1, 2, false, "hours", 3),
            new GroundRules("pg", 1, "text.", 1, 2, false, "hours", 3),
            new GroundRules("pg", 1, "text", 2, 2, false, "hours", 3),
            new GroundRules("pg", 1, "text", 1, 3, false, "hours", 3),
            new GroundRules("pg", 1, "text", 1, 2, true, "hours", 3),
            new GroundRules("pg", 1, "text", 1, 2, false, "hours ", 3),
            new GroundRules("pg", 1, "text", 1, 2, false, "hours", 4),
            // Moving a character across a field boundary must not collide: fields are length-prefixed.
            new GroundRules("pg", 1, "tex", 1, 2, false, "thours", 3),
        };

        var hashes = variants.Select(r => Convert.ToHexString(r.ComputeHash())).Append(Convert.ToHexString(baseline.ComputeHash())).ToList();
        Assert.Equal(hashes.Count, hashes.Distinct().Count());
    }
}
