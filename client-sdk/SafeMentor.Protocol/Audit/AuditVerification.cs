namespace SafeMentor.Protocol.Audit;

/// <summary>How a chain was found broken.</summary>
public enum AuditBreakKind
{
    /// <summary>An entry's fields or body no longer match its hashes.</summary>
    Edited,

    /// <summary>An entry is missing (from the middle, or from the end as a checkpoint shows).</summary>
    Deleted,

    /// <summary>An entry that was never part of the chain was put into it.</summary>
    Inserted,

    /// <summary>Entries are out of order.</summary>
    Reordered,

    /// <summary>An entry or checkpoint has a field of the wrong size.</summary>
    Malformed,

    /// <summary>A checkpoint's signature does not verify with the pinned server key.</summary>
    ForgedCheckpoint,

    /// <summary>
    /// A validly signed checkpoint names a different head than the chain has at its sequence: the chain was
    /// rewritten (hashes recomputed) somewhere after the previous matching checkpoint.
    /// </summary>
    CheckpointMismatch,
}

/// <summary>The first problem found: its kind, the sequence number it is at, and a sentence for people.</summary>
public sealed record AuditBreak(AuditBreakKind Kind, long Seq, string Message);

/// <summary>
/// The outcome of verifying an exported chain. <see cref="Break"/> is null when every entry and checkpoint
/// verified. <see cref="UncoveredEntries"/> counts entries after the latest checkpoint, which are consistent with
/// the chain but not yet vouched for by a signature.
/// </summary>
public sealed record AuditVerification(
    long EntriesChecked,
    long LastSeq,
    byte[] HeadHash,
    long WithheldBodies,
    int CheckpointsVerified,
    AuditCheckpoint? LatestCheckpoint,
    long UncoveredEntries,
    AuditBreak? Break)
{
    /// <summary>Whether the chain and every checkpoint verified.</summary>
    public bool IsValid => Break is null;
}
