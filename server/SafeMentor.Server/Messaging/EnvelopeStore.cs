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
        var from = EnvelopeDocument.QueueKeyOf(recipientId, afterSeq);
        var until = EnvelopeDocument.QueueKeyOf(recipientId, untilSeq);
        long bytes = 0;
        foreach (var envelope in Envelopes.Query()
            .Where(BsonExpression.Create("QueueKey > @0 AND QueueKey <= @1", from, until))
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

    /// <summary>Everything the queue keeps in memory about stored envelopes, read once when the server starts.</summary>
    public IEnumerable<EnvelopeDocument> All() => Envelopes.FindAll();

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
