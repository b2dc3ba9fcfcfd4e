namespace SafeMentor.Protocol.Audit;

/// <summary>
/// Verifies an exported audit chain and its checkpoints against the server's pinned public key, and reports the
/// first broken entry. Nothing a server sends is trusted: every hash is recomputed and every signature checked.
/// </summary>
/// <remarks>
/// An entry is broken when its body does not hash to its <c>bodyHash</c> or its fields do not hash to its hash
/// (edited); when its sequence number skips one that appears nowhere later (deleted), repeats the previous one
/// (inserted) or skips one that appears later (reordered); or when its <c>prevHash</c> is not the previous entry's
/// hash (the previous entry was replaced). An entry whose hash verifies only with its sequence number off by one
/// was renumbered: an entry was inserted (+1) or deleted (-1) before it. A chain rewritten with every hash
/// recomputed is self-consistent; a signed checkpoint over the original head then disagrees with it, and entries
/// missing at the end are caught the same way.
/// </remarks>
public static class AuditChainVerifier
{
    /// <summary>
    /// Verifies <paramref name="entries"/> (in the order given) from the anchor (seq 0 and the zero hash unless
    /// given), and <paramref name="checkpoints"/> against <paramref name="serverPublicKey"/>.
    /// <paramref name="progress"/> receives the number of entries checked so far, now and then.
    /// </summary>
    public static AuditVerification Verify(
        IReadOnlyList<AuditEntry> entries,
        IReadOnlyList<AuditCheckpoint> checkpoints,
        ReadOnlySpan<byte> serverPublicKey,
        IProgress<long>? progress = null,
        long anchorSeq = 0,
        byte[]? anchorHash = null)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(checkpoints);
        ArgumentOutOfRangeException.ThrowIfNegative(anchorSeq);
        anchorHash ??= AuditHashing.GenesisHash();
        if (anchorHash.Length != AuditHashing.HashSize)
        {
            throw new ArgumentException("The anchor hash is 32 bytes.", nameof(anchorHash));
        }

        var state = new State(anchorSeq, anchorHash);

        // Signatures first, in sequence order: a forged checkpoint is reported as such, whatever the chain says.
        var ordered = checkpoints.OrderBy(c => c.Seq).ThenBy(c => c.TimeMs).ToList();
        foreach (var checkpoint in ordered)
        {
            if (checkpoint.HeadHash is not { Length: AuditHashing.HashSize } || checkpoint.Signature is not { Length: ProtocolConstants.SignatureSize })
            {
                return state.Fail(AuditBreakKind.Malformed, checkpoint.Seq, $"The checkpoint at seq {checkpoint.Seq} has a hash or signature of the wrong size.");
            }

            if (!checkpoint.Verify(serverPublicKey))
            {
                return state.Fail(AuditBreakKind.ForgedCheckpoint, checkpoint.Seq, $"The checkpoint at seq {checkpoint.Seq} is not signed by the pinned server key: it is forged or belongs to another server.");
            }
        }

        var positions = new Dictionary<long, int>();
        for (var i = entries.Count - 1; i >= 0; i--)
        {
            positions[entries[i].Seq] = i;
        }

        var next = 0;
        while (next < ordered.Count && ordered[next].Seq <= anchorSeq)
        {
            if (ordered[next].Seq == anchorSeq && !ordered[next].HeadHash.AsSpan().SequenceEqual(anchorHash))
            {
                return state.Fail(AuditBreakKind.CheckpointMismatch, anchorSeq, $"The checkpoint at seq {anchorSeq} does not match the chain's starting point.");
            }

            state.Covered(ordered[next++]);
        }

        byte[]? beforePrevious = null;
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            var expected = state.LastSeq + 1;
            if (entry.BodyHash is not { Length: AuditHashing.HashSize } || entry.PrevHash is not { Length: AuditHashing.HashSize } || entry.Hash is not { Length: AuditHashing.HashSize } || entry.Action is null || entry.Seq < 0 || entry.TimeMs < 0)
            {
                return state.Fail(AuditBreakKind.Malformed, entry.Seq, $"The entry at seq {entry.Seq} has a missing field or a hash of the wrong size.");
            }

            if (i + 1 < entries.Count && entries[i + 1].Seq == entry.Seq)
            {
                return state.Fail(AuditBreakKind.Inserted, entry.Seq, $"Two entries carry seq {entry.Seq}: one of them was inserted.");
            }

            if (entry.Seq > expected)
            {
                return positions.TryGetValue(expected, out var later) && later > i
                    ? state.Fail(AuditBreakKind.Reordered, expected, $"The entry with seq {expected} appears after seq {entry.Seq}: entries were reordered.")
                    : state.Fail(AuditBreakKind.Deleted, expected, $"The entry with seq {expected} is missing: it was deleted.");
            }

            if (entry.Seq < expected)
            {
                return state.Fail(AuditBreakKind.Reordered, entry.Seq, $"The entry with seq {entry.Seq} appears after seq {expected - 1}: entries were reordered.");
            }

            if (entry.Body is { } body && !SafeBodyHash(body).AsSpan().SequenceEqual(entry.BodyHash))
            {
                return state.Fail(AuditBreakKind.Edited, entry.Seq, $"The entry with seq {entry.Seq} was edited: its body does not match its body hash.");
            }

            if (!SafeEntryHash(entry, entry.Seq).AsSpan().SequenceEqual(entry.Hash))
            {
                if (entry.Seq > 1 && SafeEntryHash(entry, entry.Seq - 1).AsSpan().SequenceEqual(entry.Hash))
                {
                    return state.Fail(AuditBreakKind.Inserted, entry.Seq - 1, $"The entry now at seq {entry.Seq} was hashed as seq {entry.Seq - 1}: an entry was inserted at seq {entry.Seq - 1} and later ones renumbered.");
                }

                if (SafeEntryHash(entry, entry.Seq + 1).AsSpan().SequenceEqual(entry.Hash))
                {
                    return state.Fail(AuditBreakKind.Deleted, entry.Seq, $"The entry now at seq {entry.Seq} was hashed as seq {entry.Seq + 1}: the entry with seq {entry.Seq} was deleted and later ones renumbered.");
                }

                return state.Fail(AuditBreakKind.Edited, entry.Seq, $"The entry with seq {entry.Seq} was edited: its fields do not match its hash.");
            }

            if (!entry.PrevHash.AsSpan().SequenceEqual(state.Head))
            {
                if (beforePrevious is not null && entry.PrevHash.AsSpan().SequenceEqual(beforePrevious))
                {
                    return state.Fail(AuditBreakKind.Inserted, entry.Seq - 1, $"The entry with seq {entry.Seq} follows seq {entry.Seq - 2} in the chain: the entry at seq {entry.Seq - 1} was inserted.");
                }

                return entry.Seq - 1 > anchorSeq
                    ? state.Fail(AuditBreakKind.Edited, entry.Seq - 1, $"The entry with seq {entry.Seq - 1} was replaced: the next entry recorded a different hash for it.")
                    : state.Fail(AuditBreakKind.Edited, entry.Seq, $"The entry with seq {entry.Seq} does not continue from the chain's starting point.");
            }

            beforePrevious = state.Head;
            state.Advance(entry);
            while (next < ordered.Count && ordered[next].Seq == entry.Seq)
            {
                if (!ordered[next].HeadHash.AsSpan().SequenceEqual(entry.Hash))
                {
                    return state.Fail(
                        AuditBreakKind.CheckpointMismatch,
                        entry.Seq,
                        $"The checkpoint at seq {entry.Seq} was signed over a different chain: entries after seq {state.CoveredSeq} were rewritten.");
                }

                state.Covered(ordered[next++]);
            }

            if ((i & 0x3FF) == 0x3FF)
            {
                progress?.Report(i + 1);
            }
        }

        progress?.Report(entries.Count);
        if (next < ordered.Count)
        {
            var beyond = ordered[^1];
            return state.Fail(AuditBreakKind.Deleted, state.LastSeq + 1, $"A checkpoint covers seq {beyond.Seq} but the chain ends at seq {state.LastSeq}: entries from seq {state.LastSeq + 1} were deleted.");
        }

        return state.Result(null);
    }

    private static byte[] SafeBodyHash(AuditBody body)
    {
        try
        {
            return body.ComputeHash();
        }
        catch (ArgumentException)
        {
            return [];
        }
    }

    private static byte[] SafeEntryHash(AuditEntry entry, long seq)
    {
        try
        {
            return AuditHashing.EntryHash(seq, entry.TimeMs, entry.Action, entry.BodyHash, entry.PrevHash);
        }
        catch (ArgumentException)
        {
            return [];
        }
    }

    private sealed class State(long anchorSeq, byte[] anchorHash)
    {
        private long _checked;
        private long _withheld;
        private int _checkpoints;
        private AuditCheckpoint? _latest;

        public long LastSeq { get; private set; } = anchorSeq;

        public byte[] Head { get; private set; } = anchorHash;

        public long CoveredSeq { get; private set; } = anchorSeq;

        public void Advance(AuditEntry entry)
        {
            _checked++;
            if (entry.Body is null)
            {
                _withheld++;
            }

            LastSeq = entry.Seq;
            Head = entry.Hash;
        }

        public void Covered(AuditCheckpoint checkpoint)
        {
            _checkpoints++;
            _latest = checkpoint;
            CoveredSeq = checkpoint.Seq;
        }

        public AuditVerification Fail(AuditBreakKind kind, long seq, string message) => Result(new AuditBreak(kind, seq, message));

        public AuditVerification Result(AuditBreak? broken)
            => new(_checked, LastSeq, Head, _withheld, _checkpoints, _latest, Math.Max(0, LastSeq - CoveredSeq), broken);
    }
}
