using SafeMentor.Protocol.Statements;

namespace SafeMentor.VectorGenerator;

/// <summary>
/// Produces tests/vectors/ground-rules.json: the canonical encoding and groundRulesHash of a few
/// ground-rules versions, so another implementation can check the hash that consent statements sign.
/// </summary>
public static class GroundRulesVectors
{
    /// <summary>The exact text of ground-rules.json.</summary>
    public static string Generate() => VectorJson.Write(writer =>
    {
        writer.WriteStartArray();
        foreach (var (name, rules) in Cases())
        {
            writer.WriteStartObject();
            writer.WriteString("name", name);
            writer.WriteStartObject("fields");
            writer.WriteString("programmeId", rules.ProgrammeId);
            writer.WriteNumber("version", rules.Version);
            writer.WriteString("text", rules.Text);
            writer.WriteNumber("undeliveredRetentionMs", rules.UndeliveredRetentionMs);
            writer.WriteNumber("clientHistoryRetentionMs", rules.ClientHistoryRetentionMs);
            writer.WriteBoolean("exportAllowed", rules.ExportAllowed);
            writer.WriteString("contactHours", rules.ContactHours);
            writer.WriteNumber("expectedResponseHours", rules.ExpectedResponseHours);
            writer.WriteEndObject();
            writer.Hex("canonical", rules.ToCanonicalBytes());
            writer.Hex("groundRulesHash", rules.ComputeHash());
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    });

    private static IEnumerable<(string Name, GroundRules Rules)> Cases()
    {
        const long Day = 24L * 60 * 60 * 1000;
        yield return ("first-version", new GroundRules(
            "pg_clinical_2027",
            1,
            "We meet online once a fortnight. What is said stays between us, unless someone is at risk of serious harm.",
            14 * Day,
            180 * Day,
            false,
            "weekdays 09:00-18:00 Europe/London",
            48));
        yield return ("export-allowed-second-version", new GroundRules(
            "pg_clinical_2027",
            2,
            "We meet online once a fortnight. Either of us may export a record of our sessions for supervision, with the other's signed consent.",
            7 * Day,
            365 * Day,
            true,
            "weekdays 09:00-18:00 Europe/London",
            24));
        yield return ("non-ascii-text", new GroundRules(
            "pg_médecine_研修",
            1,
            "Vertraulichkeit gilt für beide Seiten — 守秘義務は双方に適用されます. ✓",
            0,
            0,
            false,
            "",
            0));
    }
}
