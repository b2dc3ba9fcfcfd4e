using SafeMentor.Protocol.Audit;

namespace SafeMentor.VectorGenerator;

/// <summary>
/// Produces tests/vectors/audit.json: a short audit chain with every canonical byte string and hash, and a
/// checkpoint signed with a deterministic server key, so an auditor's own verifier can be checked against it.
/// </summary>
public static class AuditVectors
{
    /// <summary>The label of the deterministic server key (SHA-256 of it is the Ed25519 seed).</summary>
    public const string KeyVector = "audit-chain";

    /// <summary>The exact text of audit.json.</summary>
    public static string Generate() => VectorJson.Write(writer =>
    {
        using var key = AuditSigningKey.Import(TestKeys.Derive(KeyVector, "server", "audit-signing"));
        var entries = Chain();
        writer.WriteStartObject();
        writer.WriteString("name", "three-entries-and-a-checkpoint");
        writer.Hex("serverSeed", TestKeys.Derive(KeyVector, "server", "audit-signing"));
        writer.Hex("serverPublicKey", key.PublicKey);
        writer.WriteStartArray("entries");
        foreach (var entry in entries)
        {
            var body = entry.Body!;
            writer.WriteStartObject();
            writer.WriteNumber("seq", entry.Seq);
            writer.WriteNumber("timeMs", entry.TimeMs);
            writer.WriteString("action", entry.Action);
            writer.WriteStartObject("body");
            writer.WriteString("programmeId", body.ProgrammeId);
            writer.WriteString("actor", body.Actor);
            writer.WriteString("target", body.Target);
            writer.WriteString("before", body.Before);
            writer.WriteString("after", body.After);
            writer.WriteEndObject();
            writer.Hex("bodyBytes", AuditHashing.BodyBytes(body));
            writer.Hex("bodyHash", entry.BodyHash);
            writer.Hex("prevHash", entry.PrevHash);
            writer.Hex("entryBytes", AuditHashing.EntryBytes(entry.Seq, entry.TimeMs, entry.Action, entry.BodyHash, entry.PrevHash));
            writer.Hex("hash", entry.Hash);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        var head = entries[^1];
        var checkpoint = key.SignCheckpoint(head.Seq, head.Hash, head.TimeMs + 1000);
        writer.WriteStartObject("checkpoint");
        writer.WriteNumber("seq", checkpoint.Seq);
        writer.Hex("headHash", checkpoint.HeadHash);
        writer.WriteNumber("timeMs", checkpoint.TimeMs);
        writer.Hex("signedBytes", AuditHashing.CheckpointBytes(key.PublicKey, checkpoint.Seq, checkpoint.HeadHash, checkpoint.TimeMs));
        writer.Hex("signature", checkpoint.Signature);
        writer.WriteEndObject();
        writer.WriteEndObject();
    });

    /// <summary>The chain the vector describes: a policy set, a consent, and a sweep (server-wide, no programme).</summary>
    public static List<AuditEntry> Chain()
    {
        const long T0 = 1_798_761_600_000; // 2027-01-01T00:00:00Z
        var bodies = new (long TimeMs, string Action, AuditBody Body)[]
        {
            (T0, "retention.policy_changed", new AuditBody("pg_clinical_2027", "sm_coordinator", "pg_clinical_2027", "", """{"version":1,"undeliveredRetentionMs":1209600000,"clientHistoryRetentionMs":15552000000,"auditRetentionDays":2190,"reason":"Programme created"}""")),
            (T0 + 60_000, "consent.accepted", new AuditBody("pg_clinical_2027", "sm_mentee", "ms_0001", "", """{"groundRulesVersion":1,"timestampMs":1798761659000}""")),
            (T0 + 3_600_000, "retention.sweep_completed", new AuditBody("", "server", "sw_0001", "", """{"expiredEnvelopes":2,"expiredBytes":1024}""")),
        };
        var chain = new List<AuditEntry>();
        var prev = AuditHashing.GenesisHash();
        for (var i = 0; i < bodies.Length; i++)
        {
            var entry = AuditEntry.Create(i + 1, bodies[i].TimeMs, bodies[i].Action, bodies[i].Body, prev);
            chain.Add(entry);
            prev = entry.Hash;
        }

        return chain;
    }
}
