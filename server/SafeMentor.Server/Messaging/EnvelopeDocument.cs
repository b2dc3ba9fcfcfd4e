namespace SafeMentor.Server.Messaging;

/// <summary>
/// A queued envelope: opaque ciphertext with the metadata needed to route it. Id is the sender's envelope id;
/// <see cref="Seq"/> is the server's order of acceptance, which is the order a queue drains in.
/// </summary>
internal sealed class EnvelopeDocument
{
    public string Id { get; set; } = "";
    public long Seq { get; set; }
    public string MentorshipId { get; set; } = "";
    public string SenderId { get; set; } = "";
    public string RecipientId { get; set; } = "";
    public byte[] Ciphertext { get; set; } = [];
    public DateTime ReceivedAt { get; set; }

    [LiteDB.BsonIgnore]
    public long ReceivedAtMs => Storage.StoredTime.ToOffset(ReceivedAt).ToUnixTimeMilliseconds();

    public Contracts.EnvelopeDto ToDto() => new(Id, MentorshipId, SenderId, Ciphertext, ReceivedAtMs);
}
