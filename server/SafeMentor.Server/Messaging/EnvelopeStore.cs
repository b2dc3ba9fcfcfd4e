using LiteDB;
using SafeMentor.Server.Storage;

namespace SafeMentor.Server.Messaging;

/// <summary>The envelopes collection. Batches are written in one transaction and then checkpointed.</summary>
internal sealed class EnvelopeStore
{
    private readonly Database _database;

    public EnvelopeStore(Database database)
    {
        _database = database;
        Envelopes.EnsureIndex(e => e.RecipientId);
        Envelopes.EnsureIndex(e => e.MentorshipId);
        Envelopes.EnsureIndex(e => e.Seq, unique: true);
    }

    private ILiteCollection<EnvelopeDocument> Envelopes => _database.Collection<EnvelopeDocument>(Collections.Envelopes);

    public EnvelopeDocument? Find(string envelopeId) => Envelopes.FindById(envelopeId);

    public long MaxSeq() => Envelopes.Count() == 0 ? 0 : Envelopes.Max(e => e.Seq);

    public IReadOnlyList<EnvelopeDocument> QueuedFor(string recipientId)
        => [.. Envelopes.Find(e => e.RecipientId == recipientId).OrderBy(e => e.Seq)];

    public int CountFor(string recipientId) => Envelopes.Count(e => e.RecipientId == recipientId);

    /// <summary>
    /// Writes a batch durably. LiteDB transactions belong to the calling thread, so this runs start to end on one
    /// thread with no await. LiteDB's commit hands log pages to an asynchronous writer; the checkpoint that
    /// follows waits for that writer and flushes the data file, and only then is the batch safe to acknowledge.
    /// </summary>
    public void WriteBatch(IReadOnlyList<EnvelopeDocument> batch)
    {
        var lite = _database.Lite;
        if (!lite.BeginTrans())
        {
            throw new InvalidOperationException("A transaction is already open on the envelope writer's thread.");
        }

        try
        {
            var envelopes = Envelopes;
            foreach (var envelope in batch)
            {
                envelopes.Upsert(envelope);
            }

            lite.Commit();
        }
        catch
        {
            lite.Rollback();
            throw;
        }

        lite.Checkpoint();
    }

    /// <summary>Deletes the listed envelopes addressed to <paramref name="recipientId"/>; returns how many there were.</summary>
    public int DeleteFor(string recipientId, IReadOnlyCollection<string> envelopeIds)
    {
        if (envelopeIds.Count == 0)
        {
            return 0;
        }

        var ids = new BsonArray(envelopeIds.Select(id => new BsonValue(id)));
        return Envelopes.DeleteMany(Query.And(Query.In("_id", ids), Query.EQ(nameof(EnvelopeDocument.RecipientId), recipientId)));
    }

    public int DeleteMentorship(string mentorshipId) => Envelopes.DeleteMany(e => e.MentorshipId == mentorshipId);
}
