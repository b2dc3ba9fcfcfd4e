using System.Security.Cryptography;
using SafeMentor.Protocol;
using SafeMentor.Protocol.Identity;
using SafeMentor.Protocol.Statements;

namespace SafeMentor.Client.Exports;

/// <summary>
/// Checks an export record offline, with nothing but the file (docs/protocol.md, Export records): both identities;
/// the ground-rules hash and that they allow export; both consents to them; that the export consent is the
/// counterpart's, names the exporter and this mentorship, covers the range and was unexpired when the record was made;
/// that every message lies in the range and is from a party; that the content matches its hash; and the exporter's
/// signature over the record statement.
/// </summary>
public static class ExportVerifier
{
    /// <summary>Verifies the JSON text of a record.</summary>
    public static ExportVerification Verify(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var record = ExportRecord.Parse(json);
        return record is null
            ? new ExportVerification(false, ["The file is not an export record (unreadable JSON)."], null)
            : Verify(record);
    }

    /// <summary>Verifies a parsed record.</summary>
    public static ExportVerification Verify(ExportRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var problems = new List<string>();
        try
        {
            Check(record, problems);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or ProtocolException or NullReferenceException)
        {
            problems.Add($"The record is malformed: {e.Message}");
        }

        return new ExportVerification(problems.Count == 0, problems, record);
    }

    private static void Check(ExportRecord r, List<string> problems)
    {
        if (r.Format != ExportRecord.FormatName || r.Version != 1)
        {
            problems.Add($"Unknown format {r.Format} version {r.Version}.");
            return;
        }

        var exporter = Identity(r.Exporter, "exporter", problems);
        var counterpart = Identity(r.Counterpart, "counterpart", problems);
        if (exporter is null || counterpart is null)
        {
            return;
        }

        if (exporter.AccountId == counterpart.AccountId)
        {
            problems.Add("The exporter and the counterpart are the same account.");
        }

        var g = r.GroundRules;
        var hash = new GroundRules(g.ProgrammeId, g.Version, g.Text, g.UndeliveredRetentionMs, g.ClientHistoryRetentionMs, g.ExportAllowed, g.ContactHours, g.ExpectedResponseHours).ComputeHash();
        if (!FixedEquals(hash, g.Hash))
        {
            problems.Add("The ground rules do not hash to the hash the record names.");
        }

        if (!g.ExportAllowed)
        {
            problems.Add("The ground rules do not allow export.");
        }

        var grHash = Convert.FromBase64String(g.Hash);
        if (!StatementSigner.Verify(exporter, new ConsentStatement(r.MentorshipId, grHash, ConsentDecision.Accept, r.Consents.Exporter.TimestampMs), Convert.FromBase64String(r.Consents.Exporter.Signature)))
        {
            problems.Add("The exporter's consent to the ground rules does not verify.");
        }

        if (!StatementSigner.Verify(counterpart, new ConsentStatement(r.MentorshipId, grHash, ConsentDecision.Accept, r.Consents.Counterpart.TimestampMs), Convert.FromBase64String(r.Consents.Counterpart.Signature)))
        {
            problems.Add("The counterpart's consent to the ground rules does not verify.");
        }

        var c = r.ExportConsent;
        var consentSignature = Convert.FromBase64String(c.Signature);
        if (c.FromMs < 0 || c.ToMs < c.FromMs || c.ExpiresMs < 0 || c.TimestampMs < 0
            || !StatementSigner.Verify(counterpart, new ExportConsentStatement(r.MentorshipId, exporter.AccountId, c.FromMs, c.ToMs, c.Purpose, c.Recipient, c.ExpiresMs, c.TimestampMs), consentSignature))
        {
            problems.Add("The export consent is not the counterpart's signature over this mentorship, this exporter and these terms.");
        }

        if (r.FromMs < c.FromMs || r.ToMs > c.ToMs || r.ToMs < r.FromMs)
        {
            problems.Add("The exported range is not inside the range the export consent covers.");
        }

        if (r.CreatedAtMs > c.ExpiresMs)
        {
            problems.Add("The export consent had expired when the record was made.");
        }

        if (c.TimestampMs > r.CreatedAtMs)
        {
            problems.Add("The export consent is dated after the record.");
        }

        var messages = r.Messages.Select(m => new ExportedMessage(m.MessageId, m.SenderAccountId, m.SentAtMs, m.Text)).ToList();
        if (messages.Exists(m => m.SentAtMs < r.FromMs || m.SentAtMs > r.ToMs))
        {
            problems.Add("A message lies outside the exported range.");
        }

        if (messages.Exists(m => m.SenderAccountId != exporter.AccountId && m.SenderAccountId != counterpart.AccountId))
        {
            problems.Add("A message is from someone who is not a party.");
        }

        if (!FixedEquals(ExportContent.Hash(messages), r.ContentHash))
        {
            problems.Add("The content does not match its hash: a message was changed, added, removed or reordered.");
        }

        if (r.FromMs < 0 || r.ToMs < r.FromMs || r.CreatedAtMs < 0)
        {
            problems.Add("The record's times are invalid.");
            return;
        }

        var statement = new ExportRecordStatement(
            r.MentorshipId,
            exporter.AccountId,
            counterpart.AccountId,
            grHash,
            Convert.FromBase64String(r.Consents.Exporter.Signature),
            Convert.FromBase64String(r.Consents.Counterpart.Signature),
            r.FromMs,
            r.ToMs,
            consentSignature,
            checked((uint)messages.Count),
            Convert.FromBase64String(r.ContentHash),
            r.CreatedAtMs);
        if (!FixedEquals(statement.RecordHash(), r.RecordHash))
        {
            problems.Add("The record hash is not the hash of the record statement.");
        }

        if (!StatementSigner.Verify(exporter, statement, Convert.FromBase64String(r.Signature)))
        {
            problems.Add("The exporter's signature over the record does not verify.");
        }
    }

    private static PublicIdentity? Identity(ExportParty party, string role, List<string> problems)
    {
        try
        {
            var identity = PublicIdentity.Verified(
                Convert.FromBase64String(party.IdentitySigningKey), Convert.FromBase64String(party.IdentityDhKey), Convert.FromBase64String(party.IdentitySignature));
            if (identity.AccountId != party.AccountId)
            {
                problems.Add($"The {role}'s account id is not the one derived from its key.");
            }

            return identity;
        }
        catch (Exception e) when (e is ProtocolException or ArgumentException or FormatException)
        {
            problems.Add($"The {role}'s identity does not verify.");
            return null;
        }
    }

    private static bool FixedEquals(byte[] expected, string base64)
    {
        var actual = Convert.FromBase64String(base64);
        return actual.Length == expected.Length && CryptographicOperations.FixedTimeEquals(expected, actual);
    }
}
