using System.Globalization;

namespace SafeMentor.Server.Messaging;

/// <summary>
/// A queued envelope: opaque ciphertext with the metadata needed to route it. <see cref="Id"/> is the sender's
/// account id and the sender's envelope id (<see cref="KeyOf"/>), so one sender's ids never collide with
/// another's. <see cref="Seq"/> is the server's order of acceptance, and <see cref="QueueKey"/> (recipient, then
/// <see cref="Seq"/>) is the indexed order a recipient's queue drains in.
/// </summary>
internal sealed class EnvelopeDocument
{
    public string Id { get; set; } = "";
    public string EnvelopeId { get; set; } = "";
    public long Seq { get; set; }
    public string QueueKey { get; set; } = "";
    public string MentorshipId { get; set; } = "";
    public string SenderId { get; set; } = "";
    public string RecipientId { get; set; } = "";
    /// <summary>The opaque ciphertext; setting it sets <see cref="Size"/>.</summary>
    public byte[] Ciphertext
    {
        get;
        set
        {
            field = value;
            Size = value.Length;
        }
    } = [];

    /// <summary>
    /// The ciphertext's length, stored beside it so that a read of what the start needs (<see cref="EnvelopeStore.AllStored"/>)
    /// can leave the ciphertext out. Absent (0) in documents of the first storage layout.
    /// </summary>
    public int Size { get; set; }
    public DateTime ReceivedAt { get; set; }

    [LiteDB.BsonIgnore]
    public long ReceivedAtMs => Storage.StoredTime.ToOffset(ReceivedAt).ToUnixTimeMilliseconds();

    /// <summary>The primary key of an envelope: who sent it and the id the sender chose.</summary>
    public static string KeyOf(string senderId, string envelopeId) => senderId + "/" + envelopeId;

    /// <summary>
    /// The position of an envelope in its recipient's queue. Account ids have a fixed length and the sequence is
    /// written as 16 hex digits, so the keys of one recipient sort in acceptance order.
    /// </summary>
    public static string QueueKeyOf(string recipientId, long seq) => recipientId + "/" + seq.ToString("x16", CultureInfo.InvariantCulture);

    public Contracts.EnvelopeDto ToDto() => new(EnvelopeId, MentorshipId, SenderId, Ciphertext, ReceivedAtMs);
}
