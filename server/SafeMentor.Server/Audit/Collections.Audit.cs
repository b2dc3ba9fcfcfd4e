namespace SafeMentor.Server.Storage;

/// <summary>Collections of the audit chain.</summary>
internal static partial class Collections
{
    /// <summary>The chain: one document per entry, keyed by sequence number (hashes, action, time; no body).</summary>
    public const string AuditEntries = "audit_entries";

    /// <summary>The bodies of entries, keyed by sequence number; deleted under retention or erasure while the chain stays.</summary>
    public const string AuditBodies = "audit_bodies";

    /// <summary>Which entries' bodies name an account: "accountId/seq" keys, so an erasure finds them by prefix.</summary>
    public const string AuditSubjects = "audit_subjects";

    /// <summary>Signed checkpoints over the chain head, keyed by the sequence number they cover.</summary>
    public const string AuditCheckpoints = "audit_checkpoints";
}
