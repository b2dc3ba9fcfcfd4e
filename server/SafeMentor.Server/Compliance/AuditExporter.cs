using System.Text.Json;
using SafeMentor.Contracts;
using SafeMentor.Protocol.Audit;
using SafeMentor.Server.Audit;

namespace SafeMentor.Server.Compliance;

/// <summary>
/// The audit chain as a compliance officer receives it: every entry (bodies of the officer's programme and
/// server-wide ones; others withheld, with their body hash so the chain still verifies), every checkpoint, and a
/// fresh checkpoint covering the export's last entry, which is the record of this very read.
/// </summary>
internal sealed class AuditExporter(AuditTrail audit, AuditCheckpointer checkpointer, AuditKey key, ComplianceAccess access, TimeProvider time)
{
    public async Task<AuditExportDto> ExportAsync(string programmeId, string officerId, string view)
    {
        await access.RecordReadAsync(programmeId, officerId, view).ConfigureAwait(false);
        var covered = await checkpointer.CheckpointAsync().ConfigureAwait(false);
        var bodies = audit.Bodies(covered.Id);
        var entries = new List<AuditEntryDto>();
        foreach (var entry in audit.Entries(covered.Id))
        {
            var body = bodies.GetValueOrDefault(entry.Id);
            var visible = body is not null && (body.ProgrammeId.Length == 0 || body.ProgrammeId == programmeId);
            entries.Add(new AuditEntryDto(
                entry.Id,
                entry.TimeMs,
                entry.Action,
                Convert.ToBase64String(entry.BodyHash),
                Convert.ToBase64String(entry.PrevHash),
                Convert.ToBase64String(entry.Hash),
                visible ? new AuditBodyDto(body!.ProgrammeId, body.Actor, body.Target, body.Before, body.After) : null,
                visible ? null : entry.Withheld ?? WithheldReasons.OtherProgramme));
        }

        return new AuditExportDto(
            AuditFormats.V1,
            Convert.ToBase64String(key.PublicKey),
            programmeId,
            time.GetUtcNow(),
            entries,
            [.. audit.Checkpoints().Where(c => c.Id <= covered.Id).Select(c => new AuditCheckpointDto(c.Id, Convert.ToBase64String(c.HeadHash), c.TimeMs, Convert.ToBase64String(c.Signature)))]);
    }

    /// <summary>Verifies an export against a pinned key, as the offline verifier does.</summary>
    public static AuditVerification Verify(AuditExportDto export, byte[] pinnedKey)
    {
        var entries = export.Entries.Select(e => new AuditEntry(
            e.Seq,
            e.TimeMs,
            e.Action,
            Bytes(e.BodyHash),
            Bytes(e.PrevHash),
            Bytes(e.Hash),
            e.Body is { } b ? new AuditBody(b.ProgrammeId, b.Actor, b.Target, b.Before, b.After) : null)).ToList();
        var checkpoints = export.Checkpoints.Select(c => new AuditCheckpoint(c.Seq, Bytes(c.HeadHash), c.TimeMs, Bytes(c.Signature))).ToList();
        return AuditChainVerifier.Verify(entries, checkpoints, pinnedKey);
    }

    /// <summary>The export records of a programme, from the chain's <c>export.recorded</c> entries.</summary>
    public List<ExportRecordDto> ExportRecords(string programmeId)
    {
        var records = new List<ExportRecordDto>();
        foreach (var (entry, body) in audit.OfAction(programmeId, AuditActions.ExportRecorded))
        {
            using var after = JsonDocument.Parse(body.After);
            var root = after.RootElement;
            records.Add(new ExportRecordDto(
                entry.Id,
                body.Target,
                body.Actor,
                root.GetProperty("recordHash").GetString() ?? "",
                root.GetProperty("fromMs").GetInt64(),
                root.GetProperty("toMs").GetInt64(),
                [.. root.GetProperty("consentIds").EnumerateArray().Select(c => c.GetString() ?? "")],
                DateTimeOffset.FromUnixTimeMilliseconds(entry.TimeMs)));
        }

        return records;
    }

    private static byte[] Bytes(string base64)
    {
        try
        {
            return Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            return [];
        }
    }
}
