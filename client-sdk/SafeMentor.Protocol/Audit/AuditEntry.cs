namespace SafeMentor.Protocol.Audit;

/// <summary>
/// One link of the audit chain as exported: the fields its hash covers, the hashes it claims, and its body when the
/// reader may see it (null when withheld). A verifier trusts none of the claimed hashes; it recomputes them.
/// </summary>
public sealed record AuditEntry(long Seq, long TimeMs, string Action, byte[] BodyHash, byte[] PrevHash, byte[] Hash, AuditBody? Body)
{
    /// <summary>Builds the entry that follows <paramref name="prevHash"/>, computing both hashes.</summary>
    public static AuditEntry Create(long seq, long timeMs, string action, AuditBody body, byte[] prevHash)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(prevHash);
        var bodyHash = body.ComputeHash();
        return new AuditEntry(seq, timeMs, action, bodyHash, prevHash.ToArray(), AuditHashing.EntryHash(seq, timeMs, action, bodyHash, prevHash), body);
    }

    /// <summary>The entry's hash as recomputed from its fields (not the claimed <see cref="Hash"/>).</summary>
    public byte[] ComputeHash() => AuditHashing.EntryHash(Seq, TimeMs, Action, BodyHash, PrevHash);

    /// <summary>Names the entry by sequence and action only.</summary>
    public override string ToString() => $"AuditEntry({Seq}, {Action})";
}
