using LiteDB;
using SafeMentor.Protocol.Audit;
using SafeMentor.Server.Storage;

namespace SafeMentor.Server.Audit;

/// <summary>
/// The append-only, hash-chained audit log. An entry is appended inside the storage write of the change it
/// records, so both are durable together or not at all.
/// </summary>
/// <remarks>
/// The chain head (sequence and hash) advances inside the writer's transaction: the first append of a batch reads
/// the head from the transaction itself, and the batch's later appends continue from the head kept in the batch's
/// notebook. A rolled-back batch discards both the entries and the notebook, and is applied again on a fresh
/// scope that reads the head anew, so a refused change never leaves a gap or a fork in the chain.
/// </remarks>
internal sealed class AuditTrail(Database database, TimeProvider time)
{
    private const string HeadNote = "audit:head";

    /// <summary>Inside a write: appends <paramref name="record"/> as the next entry and returns its sequence number.</summary>
    public long Append(WriteScope scope, AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(record);
        var head = Head(scope);
        var seq = head.Seq + 1;
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var entry = AuditEntry.Create(seq, now, record.Action, new AuditBody(record.ProgrammeId, record.Actor, record.Target, record.Before, record.After), head.Hash);
        scope.Collection<AuditEntryDocument>(Collections.AuditEntries).Insert(new AuditEntryDocument
        {
            Id = seq,
            TimeMs = now,
            Action = record.Action,
            BodyHash = entry.BodyHash,
            PrevHash = entry.PrevHash,
            Hash = entry.Hash,
        });
        scope.Collection<AuditBodyDocument>(Collections.AuditBodies).Insert(new AuditBodyDocument
        {
            Id = seq,
            ProgrammeId = record.ProgrammeId,
            Actor = record.Actor,
            Target = record.Target,
            Before = record.Before,
            After = record.After,
            RetentionKey = AuditBodyDocument.RetentionKeyOf(record.ProgrammeId, now),
            Subjects = [.. record.Subjects.Distinct(StringComparer.Ordinal)],
        });
        var subjects = scope.Collection<AuditSubjectDocument>(Collections.AuditSubjects);
        foreach (var subject in record.Subjects.Distinct(StringComparer.Ordinal))
        {
            subjects.Insert(new AuditSubjectDocument { Id = AuditSubjectDocument.IdOf(subject, seq), Seq = seq });
        }

        scope.SetNote(HeadNote, new ChainHead(seq, entry.Hash));
        return seq;
    }

    /// <summary>Inside a write: the head as this transaction sees it.</summary>
    public static ChainHead Head(WriteScope scope)
        => scope.TryGetNote<ChainHead>(HeadNote, out var head) ? head : ReadHead(scope.Collection<AuditEntryDocument>(Collections.AuditEntries));

    /// <summary>The committed head.</summary>
    public ChainHead Head() => ReadHead(database.Collection<AuditEntryDocument>(Collections.AuditEntries));

    /// <summary>The chain from its start to <paramref name="uptoSeq"/>, in order.</summary>
    public IEnumerable<AuditEntryDocument> Entries(long uptoSeq)
        => database.Collection<AuditEntryDocument>(Collections.AuditEntries).Query()
            .Where(e => e.Id <= uptoSeq)
            .OrderBy(e => e.Id)
            .ToEnumerable();

    /// <summary>The stored bodies of the entries up to <paramref name="uptoSeq"/>, by sequence number.</summary>
    public Dictionary<long, AuditBodyDocument> Bodies(long uptoSeq)
        => database.Collection<AuditBodyDocument>(Collections.AuditBodies).Query()
            .Where(b => b.Id <= uptoSeq)
            .ToEnumerable()
            .ToDictionary(b => b.Id);

    /// <summary>The entries of one action in a programme, newest first (for registers).</summary>
    public List<(AuditEntryDocument Entry, AuditBodyDocument Body)> OfAction(string programmeId, string action)
    {
        var entries = database.Collection<AuditEntryDocument>(Collections.AuditEntries);
        var bodies = BodiesInRange(programmeId + "/", programmeId + "0", int.MaxValue);
        var found = new List<(AuditEntryDocument, AuditBodyDocument)>();
        foreach (var body in bodies)
        {
            if (entries.FindById(body.Id) is { } entry && entry.Action == action)
            {
                found.Add((entry, body));
            }
        }

        return [.. found.OrderByDescending(f => f.Item1.Id)];
    }

    /// <summary>
    /// Sequence numbers of up to <paramref name="limit"/> bodies of <paramref name="programmeId"/> (empty for
    /// server-wide ones) written before <paramref name="untilMs"/>: those past retention.
    /// </summary>
    public List<long> BodiesBefore(string programmeId, long untilMs, int limit)
        => [.. BodiesInRange(programmeId + "/", AuditBodyDocument.RetentionKeyOf(programmeId, untilMs), limit).Select(b => b.Id)];

    /// <summary>Every signed checkpoint, in sequence order.</summary>
    public List<AuditCheckpointDocument> Checkpoints()
        => [.. database.Collection<AuditCheckpointDocument>(Collections.AuditCheckpoints).Query().OrderBy(c => c.Id).ToEnumerable()];

    /// <summary>
    /// Inside a write: deletes the bodies (and subject marks) of the given entries and records why, leaving the
    /// chain itself intact. Returns how many bodies were deleted.
    /// </summary>
    public static int Withhold(WriteScope scope, IEnumerable<long> seqs, string reason)
    {
        var entries = scope.Collection<AuditEntryDocument>(Collections.AuditEntries);
        var bodies = scope.Collection<AuditBodyDocument>(Collections.AuditBodies);
        var subjects = scope.Collection<AuditSubjectDocument>(Collections.AuditSubjects);
        var count = 0;
        foreach (var seq in seqs.Distinct())
        {
            if (bodies.FindById(seq) is not { } body)
            {
                continue;
            }

            foreach (var subject in body.Subjects)
            {
                subjects.Delete(AuditSubjectDocument.IdOf(subject, seq));
            }

            bodies.Delete(seq);
            if (entries.FindById(seq) is { } entry)
            {
                entry.Withheld = reason;
                entries.Update(entry);
            }

            count++;
        }

        return count;
    }

    /// <summary>
    /// Bodies with a retention key in [<paramref name="from"/>, <paramref name="before"/>), in key order. BETWEEN
    /// comes first so that LiteDB takes it as an index range, seeking to its start and stopping at its end; with
    /// "at least" first it would scan to the end of the index and load every later body to test the bound.
    /// </summary>
    private IEnumerable<AuditBodyDocument> BodiesInRange(string from, string before, int limit)
        => database.Collection<AuditBodyDocument>(Collections.AuditBodies).Query()
            .Where(BsonExpression.Create("RetentionKey BETWEEN @0 AND @1 AND RetentionKey < @1", from, before))
            .Limit(limit)
            .ToEnumerable();

    /// <summary>Inside a write: the sequence numbers of entries whose bodies name <paramref name="accountId"/>.</summary>
    public static List<long> NamingAccount(WriteScope scope, string accountId)
        => [.. scope.Collection<AuditSubjectDocument>(Collections.AuditSubjects)
            .Find(Query.StartsWith("_id", AuditSubjectDocument.PrefixOf(accountId)))
            .Select(s => s.Seq)];

    private static ChainHead ReadHead(ILiteCollection<AuditEntryDocument> entries)
        => entries.Query().OrderByDescending(e => e.Id).Limit(1).FirstOrDefault() is { } last
            ? new ChainHead(last.Id, last.Hash)
            : new ChainHead(0, AuditHashing.GenesisHash());
}

/// <summary>The last entry of the chain: its sequence number and hash (0 and zeros when empty).</summary>
internal sealed record ChainHead(long Seq, byte[] Hash);
