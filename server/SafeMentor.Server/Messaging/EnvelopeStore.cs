using LiteDB;
using SafeMentor.Server.Storage;

namespace SafeMentor.Server.Messaging;

/// <summary>
/// The envelopes collection: reads from anywhere, writes inside the storage writer's transactions. Every write
/// is by primary key or by the mentorship index, so its cost does not grow with the length of a queue.
/// </summary>
internal sealed class EnvelopeStore(Database database)
{
    private ILiteCollection<EnvelopeDocument> Envelopes => database.Collection<EnvelopeDocument>(Collections.Envelopes);

    public EnvelopeDocument? Find(string key) => Envelopes.FindById(key);

    /// <summary>
    /// Up to <paramref name="limit"/> envelopes of <paramref name="recipientId"/> with a sequence in
    /// (<paramref name="afterSeq"/>, <paramref name="untilSeq"/>], in order, stopping early once
    /// <paramref name="maxBytes"/> of ciphertext have been read.
    /// </summary>
    public List<EnvelopeDocument> Page(string recipientId, long afterSeq, long untilSeq, int limit, long maxBytes)
    {
        var page = new List<EnvelopeDocument>();
        if (afterSeq >= untilSeq)
        {
            return page;
        }

        // BETWEEN is an index range: LiteDB seeks to the first key and stops after the last. With "greater than" and
        // "at most" it would scan the index from the lower bound to its end and load every later recipient's envelope
        // to test the upper bound (LiteDB takes the first condition of an AND as its index, the rest as filters).
        var from = EnvelopeDocument.QueueKeyOf(recipientId, afterSeq + 1);
        var until = EnvelopeDocument.QueueKeyOf(recipientId, untilSeq);
        long bytes = 0;
        foreach (var envelope in Envelopes.Query()
            .Where(BsonExpression.Create("QueueKey BETWEEN @0 AND @1", from, until))
            .OrderBy("QueueKey")
            .Limit(limit)
            .ToEnumerable())
        {
            page.Add(envelope);
            bytes += envelope.Ciphertext.Length;
            if (bytes >= maxBytes)
            {
                break;
            }
        }

        return page;
    }

    /// <summary>
    /// Up to <paramref name="limit"/> envelopes received at or after <paramref name="from"/> and before
    /// <paramref name="until"/>, oldest first: the candidates for expiry. Reads the index range only, so the
    /// envelopes received later, which are most of a queue, are never loaded.
    /// </summary>
    public List<EnvelopeDocument> ReceivedBetween(DateTime from, DateTime until, int limit)
        => [.. Envelopes.Query()
            .Where(BsonExpression.Create("ReceivedAt BETWEEN @0 AND @1 AND ReceivedAt < @1", from, until))
            .OrderBy("ReceivedAt")
            .Limit(limit)
            .ToEnumerable()];

    /// <summary>
    /// Every stored envelope's key, envelope id, sequence, mentorship, recipient and size (0 when not stored, in
    /// documents of earlier layouts), without its ciphertext, in key order: what the queue keeps in memory about
    /// stored envelopes, read once when the server starts. Read in pages of <paramref name="pageSize"/>, each its
    /// own short read: LiteDB keeps every page a read touches in its cache until the read ends and never gives a
    /// cache it has grown back, so one read over the whole collection would hold the whole queue in memory for the
    /// life of the process.
    /// </summary>
    public IEnumerable<EnvelopeDocument> AllStored(int pageSize = 256)
    {
        var envelopes = Envelopes;
        // An index range up to the last key, which LiteDB seeks into (an open upper bound turns it into a scan of the
        // index from its start); BETWEEN includes the key the last page ended on, so the filter drops it again.
        if (envelopes.Query().OrderByDescending("_id").Select(BsonExpression.Create("{ _id }")).Limit(1).FirstOrDefault() is not { } lastDocument)
        {
            yield break;
        }

        var last = lastDocument["_id"];
        BsonValue after = "";
        var fields = BsonExpression.Create("{ _id, EnvelopeId, Seq, MentorshipId, RecipientId, Size }");
        while (true)
        {
            var page = envelopes.Query()
                .Where(BsonExpression.Create("_id BETWEEN @0 AND @1 AND _id > @0", after, last))
                .OrderBy("_id")
                .Select(fields)
                .Limit(pageSize)
                .ToList();
            foreach (var document in page)
            {
                // By hand: documents of earlier layouts lack some of these fields, and the mapper cannot put null in an int.
                yield return new EnvelopeDocument
                {
                    Id = document["_id"].AsString,
                    EnvelopeId = document["EnvelopeId"].IsString ? document["EnvelopeId"].AsString : "",
                    Seq = document["Seq"].AsInt64,
                    MentorshipId = document["MentorshipId"].AsString,
                    RecipientId = document["RecipientId"].AsString,
                    Size = document["Size"].IsNumber ? document["Size"].AsInt32 : 0,
                };
            }

            if (page.Count < pageSize)
            {
                yield break;
            }

            after = page[^1]["_id"];
        }
    }

    /// <summary>Inside a write: stores an accepted envelope.</summary>
    public static void Insert(WriteScope scope, EnvelopeDocument envelope) => scope.Collection<EnvelopeDocument>(Collections.Envelopes).Insert(envelope);

    /// <summary>Inside a write: deletes the envelopes with these keys; returns those that were there.</summary>
    public static List<string> Delete(WriteScope scope, IEnumerable<string> keys)
    {
        var envelopes = scope.Collection<EnvelopeDocument>(Collections.Envelopes);
        return [.. keys.Where(key => envelopes.Delete(key))];
    }

    /// <summary>Inside a write: deletes every envelope of a mentorship; returns their keys.</summary>
    public static List<string> DeleteMentorship(WriteScope scope, string mentorshipId)
    {
        var envelopes = scope.Collection<EnvelopeDocument>(Collections.Envelopes);
        var keys = envelopes.Query().Where(e => e.MentorshipId == mentorshipId).Select(e => e.Id).ToList();
        foreach (var key in keys)
        {
            envelopes.Delete(key);
        }

        return keys;
    }
}

/// <summary>Indexes of the envelopes collection: queue order, and mentorship for purges.</summary>
internal sealed class EnvelopeSchema : IStorageSchema
{
    public void Apply(LiteDatabase database)
    {
        var envelopes = database.GetCollection<EnvelopeDocument>(Collections.Envelopes);
        envelopes.EnsureIndex(e => e.QueueKey);
        envelopes.EnsureIndex(e => e.MentorshipId);

        // Indexes of the first storage layout, which keyed envelopes by id alone; queue order is QueueKey's now.
        envelopes.DropIndex("RecipientId");
        envelopes.DropIndex("Seq");
    }
}
