using LiteDB;
using Microsoft.Extensions.Options;
using SafeMentor.Server.Mentorships;
using SafeMentor.Server.Messaging;
using SafeMentor.Server.Storage;
using SafeMentor.Server.Tests.Infrastructure;

namespace SafeMentor.Server.Tests.Storage;

/// <summary>
/// Envelopes written by earlier versions of the server are still counted and delivered after an upgrade: those of
/// the first layout (keyed by envelope id alone) and those stored before the ciphertext's size was stored beside it.
/// </summary>
public sealed class StoredLayoutTests
{
    private const string Mentorship = "ms_layouts";

    [Fact]
    public async Task Start_EnvelopesOfEarlierLayouts_CountTheirFullSizeAndAreUpgraded()
    {
        using var reopened = await ReopenedDatabase.CreateAsync([new EnvelopeSchema()], writer => writer.WriteAsync(scope =>
        {
            var envelopes = scope.Collection<BsonDocument>(Collections.Envelopes);

            // Before sizes were stored: today's key and fields, no Size.
            envelopes.Insert(new BsonDocument
            {
                ["_id"] = EnvelopeDocument.KeyOf(TestEnvelopes.Sender, "e1"),
                ["EnvelopeId"] = "e1",
                ["Seq"] = 1L,
                ["QueueKey"] = EnvelopeDocument.QueueKeyOf(TestEnvelopes.Recipient, 1),
                ["MentorshipId"] = Mentorship,
                ["SenderId"] = TestEnvelopes.Sender,
                ["RecipientId"] = TestEnvelopes.Recipient,
                ["Ciphertext"] = new byte[500],
                ["ReceivedAt"] = DateTime.UtcNow,
            });

            // The first layout: keyed by the envelope id alone, no EnvelopeId, QueueKey or Size.
            envelopes.Insert(new BsonDocument
            {
                ["_id"] = "e2",
                ["Seq"] = 2L,
                ["MentorshipId"] = Mentorship,
                ["SenderId"] = TestEnvelopes.Sender,
                ["RecipientId"] = TestEnvelopes.Recipient,
                ["Ciphertext"] = new byte[300],
                ["ReceivedAt"] = DateTime.UtcNow,
            });
        }));
        using var writer = ReopenedDatabase.NewWriter(reopened.Database);
        var store = new EnvelopeStore(reopened.Database);
        var queue = new EnvelopeQueue(store, writer, new MentorshipRegistry(reopened.Database), Options.Create(new RelayOptions()));

        Assert.Equal((2, 800L), queue.QueuedFor(Mentorship, TestEnvelopes.Recipient));
        var page = store.Page(TestEnvelopes.Recipient, 0, long.MaxValue, 10, 1024 * 1024);
        Assert.Equal([("e1", 500), ("e2", 300)], page.Select(e => (e.EnvelopeId, e.Ciphertext.Length)));
        Assert.Equal(EnvelopeDocument.KeyOf(TestEnvelopes.Sender, "e2"), page[1].Id);
        Assert.Equal([500, 300], store.AllStored().OrderBy(e => e.Seq).Select(e => e.Size));
    }
}
