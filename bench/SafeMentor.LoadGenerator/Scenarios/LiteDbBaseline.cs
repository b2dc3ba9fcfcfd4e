using System.Diagnostics;
using LiteDB;

namespace SafeMentor.LoadGenerator.Scenarios;

/// <summary>
/// The floor for filling the relay's queue: LiteDB itself, in this process, inserting the same documents into a
/// fresh file in batches of 512 per transaction, each made durable (commit, then checkpoint) before the next, with the
/// relay's indexes. Nothing else: no network, no hub, no bookkeeping.
/// </summary>
internal static class LiteDbBaseline
{
    public const int BatchSize = 512;

    /// <summary>
    /// Inserts <paramref name="count"/> envelopes for <paramref name="recipients"/> recipients; returns documents per
    /// second. A small unmeasured insert first compiles LiteDB's code in this process, as the relay's is by the time
    /// it fills.
    /// </summary>
    public static double InsertRate(int count, int size, int recipients)
    {
        Insert(BatchSize * 2, size, recipients);
        return Insert(count, size, recipients);
    }

    private static double Insert(int count, int size, int recipients)
    {
        var folder = Path.Combine(Path.GetTempPath(), "safementor-load", "litedb-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var mapper = new BsonMapper { TrimWhitespace = false, EmptyStringToNull = false };
            using var database = new LiteDatabase(new ConnectionString { Filename = Path.Combine(folder, "baseline.db"), Connection = ConnectionType.Direct }, mapper)
            {
                UtcDate = true,
            };
            var envelopes = database.GetCollection<EnvelopeShape>("envelopes");
            envelopes.EnsureIndex(e => e.RecipientId);
            envelopes.EnsureIndex(e => e.MentorshipId);
            envelopes.EnsureIndex(e => e.Seq, unique: true);

            var documents = new EnvelopeShape[count];
            var ciphertext = Load.Payload.Create(size, 0, 0, 0, 0);
            for (var i = 0; i < count; i++)
            {
                var recipient = i % recipients;
                documents[i] = new EnvelopeShape
                {
                    Id = Guid.NewGuid().ToString("N"),
                    Seq = i + 1,
                    MentorshipId = "ms_" + recipient.ToString("x32", System.Globalization.CultureInfo.InvariantCulture),
                    SenderId = "sm_" + ("sender" + recipient).PadRight(32, 'a'),
                    RecipientId = "sm_" + ("recipient" + recipient).PadRight(32, 'b'),
                    Ciphertext = (byte[])ciphertext.Clone(),
                    ReceivedAt = DateTime.UtcNow,
                };
            }

            var started = Stopwatch.GetTimestamp();
            for (var offset = 0; offset < count; offset += BatchSize)
            {
                database.BeginTrans();
                envelopes.Insert(documents.Skip(offset).Take(BatchSize));
                database.Commit();
                database.Checkpoint();
            }

            return count / Stopwatch.GetElapsedTime(started).TotalSeconds;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The fields of the relay's stored envelope (server Messaging/EnvelopeDocument), kept in step by hand.</summary>
    private sealed class EnvelopeShape
    {
        public string Id { get; set; } = "";
        public long Seq { get; set; }
        public string MentorshipId { get; set; } = "";
        public string SenderId { get; set; } = "";
        public string RecipientId { get; set; } = "";
        public byte[] Ciphertext { get; set; } = [];
        public DateTime ReceivedAt { get; set; }
    }
}
