using System.Text;
using System.Text.Json;

namespace SafeMentor.Server.Audit;

/// <summary>
/// The one place audit bodies are shaped: one factory per action, so every entry of a kind holds the same fields
/// in the same order. Bodies carry ids, numbers and a coordinator's stated reason; never content, keys or pseudonyms.
/// </summary>
internal static class AuditRecords
{
    private static readonly JsonWriterOptions s_compact = new() { Indented = false };

    /// <summary>A programme's retention policy got a new version (also its first, when the programme is created).</summary>
    public static AuditRecord PolicyChanged(string programmeId, string actorId, PolicyValues? before, PolicyValues after, long version, string reason)
        => new(
            AuditActions.PolicyChanged,
            programmeId,
            actorId,
            programmeId,
            before is null ? "" : Json(w => before.Write(w, null, null)),
            Json(w => after.Write(w, version, reason)),
            [actorId]);

    /// <summary>A party accepted or withdrew consent to a ground-rules version.</summary>
    public static AuditRecord Consent(string programmeId, string mentorshipId, string accountId, bool accepted, long groundRulesVersion, long timestampMs)
        => new(
            accepted ? AuditActions.ConsentAccepted : AuditActions.ConsentWithdrawn,
            programmeId,
            accountId,
            mentorshipId,
            "",
            Json(w =>
            {
                w.WriteNumber("groundRulesVersion", groundRulesVersion);
                w.WriteNumber("timestampMs", timestampMs);
            }),
            [accountId]);

    /// <summary>A coordinator matched a mentor and a mentee.</summary>
    public static AuditRecord Matched(string programmeId, string mentorshipId, string coordinatorId, string mentorId, string menteeId)
        => new(
            AuditActions.Matched,
            programmeId,
            coordinatorId,
            mentorshipId,
            "",
            Json(w =>
            {
                w.WriteString("mentorAccountId", mentorId);
                w.WriteString("menteeAccountId", menteeId);
            }),
            [coordinatorId, mentorId, menteeId]);

    /// <summary>A mentorship ended; <paramref name="actorId"/> is the party, or <see cref="AuditActions.ServerActor"/> on erasure.</summary>
    public static AuditRecord Ended(string programmeId, string mentorshipId, string actorId, int deletedEnvelopes)
        => new(
            AuditActions.Ended,
            programmeId,
            actorId,
            mentorshipId,
            "",
            Json(w => w.WriteNumber("deletedEnvelopes", deletedEnvelopes)),
            actorId == AuditActions.ServerActor ? [] : [actorId]);

    /// <summary>A coordinator suspended a member of a programme, or lifted the suspension.</summary>
    public static AuditRecord Suspension(string programmeId, string coordinatorId, string memberId, bool suspended)
        => new(
            suspended ? AuditActions.Suspended : AuditActions.Reinstated,
            programmeId,
            coordinatorId,
            memberId,
            Json(w => w.WriteBoolean("suspended", !suspended)),
            Json(w => w.WriteBoolean("suspended", suspended)),
            [coordinatorId, memberId]);

    /// <summary>
    /// A party recorded an export receipt: the hash of the exported record (never the record) and the ids of the
    /// export-consent statements it relies on.
    /// </summary>
    public static AuditRecord ExportRecorded(string programmeId, string mentorshipId, string exporterId, byte[] recordHash, long fromMs, long toMs, IReadOnlyList<string> consentIds)
        => new(
            AuditActions.ExportRecorded,
            programmeId,
            exporterId,
            mentorshipId,
            "",
            Json(w =>
            {
                w.WriteString("recordHash", Convert.ToBase64String(recordHash));
                w.WriteNumber("fromMs", fromMs);
                w.WriteNumber("toMs", toMs);
                w.WriteStartArray("consentIds");
                foreach (var id in consentIds)
                {
                    w.WriteStringValue(id);
                }

                w.WriteEndArray();
            }),
            [exporterId]);

    /// <summary>An account erased itself: a tombstone that names no one (<paramref name="tombstoneId"/> is random).</summary>
    public static AuditRecord Erased(string tombstoneId, ErasureCounts counts)
        => new(
            AuditActions.AccountErased,
            "",
            tombstoneId,
            tombstoneId,
            "",
            Json(w =>
            {
                w.WriteNumber("mentorshipsEnded", counts.MentorshipsEnded);
                w.WriteNumber("envelopesDeleted", counts.EnvelopesDeleted);
                w.WriteNumber("prekeysDeleted", counts.PrekeysDeleted);
                w.WriteNumber("membershipsDeleted", counts.MembershipsDeleted);
                w.WriteNumber("auditBodiesWithheld", counts.AuditBodiesWithheld);
            }),
            []);

    /// <summary>A sweep finished; the body is its receipt's totals (per-programme lines are in the receipt).</summary>
    public static AuditRecord SweepCompleted(string receiptId, string state, long envelopes, long bytes, long endedQueueEnvelopes, long staleItems, long auditBodies, bool scrubbed)
        => new(
            AuditActions.SweepCompleted,
            "",
            AuditActions.ServerActor,
            receiptId,
            "",
            Json(w =>
            {
                w.WriteString("state", state);
                w.WriteNumber("expiredEnvelopes", envelopes);
                w.WriteNumber("expiredBytes", bytes);
                w.WriteNumber("endedMentorshipEnvelopes", endedQueueEnvelopes);
                w.WriteNumber("staleOneTimeItems", staleItems);
                w.WriteNumber("auditBodiesRemoved", auditBodies);
                w.WriteBoolean("fileScrubbed", scrubbed);
            }),
            []);

    /// <summary>A compliance officer read one of the compliance views of a programme.</summary>
    public static AuditRecord ComplianceRead(string programmeId, string officerId, string view)
        => new(AuditActions.ComplianceRead, programmeId, officerId, view, "", "", [officerId]);

    private static string Json(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, s_compact))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}

/// <summary>The values of a retention policy as audit bodies and history show them.</summary>
internal sealed record PolicyValues(long UndeliveredRetentionMs, long ClientHistoryRetentionMs, int AuditRetentionDays)
{
    public void Write(Utf8JsonWriter writer, long? version, string? reason)
    {
        if (version is { } v)
        {
            writer.WriteNumber("version", v);
        }

        writer.WriteNumber("undeliveredRetentionMs", UndeliveredRetentionMs);
        writer.WriteNumber("clientHistoryRetentionMs", ClientHistoryRetentionMs);
        writer.WriteNumber("auditRetentionDays", AuditRetentionDays);
        if (reason is not null)
        {
            writer.WriteString("reason", reason);
        }
    }
}

/// <summary>What an erasure removed, as its tombstone records it.</summary>
internal sealed record ErasureCounts(int MentorshipsEnded, int EnvelopesDeleted, int PrekeysDeleted, int MembershipsDeleted, int AuditBodiesWithheld);
