using SafeMentor.Server.Audit;
using SafeMentor.Server.Messaging;
using SafeMentor.Server.Retention;
using SafeMentor.Server.Storage;
using SafeMentor.Server.Tests.Infrastructure;

namespace SafeMentor.Server.Tests.Storage;

/// <summary>
/// Reads of a range of an index (a recipient's queue, envelopes due for expiry, audit bodies past retention) cost
/// what is in the range, not what lies beyond it. Each test stores a small range and a large bulk after it, reopens
/// the database with a cold cache, reads the range, and counts the bytes read from the data file: the bulk's
/// documents must not be among them.
/// </summary>
public sealed class RangeReadTests
{
    private const int BulkCount = 600;
    private const int BulkSize = 4096;

    // The bulk's documents alone are BulkCount × BulkSize = 2.4 MB. Reading a range and its index pages took
    // 24-40 KiB; reading past the range, as an index scan to the end of the index does, took 4.9 MB.
    private const long MostBytesRead = 256 * 1024;

    private static readonly DateTime s_t0 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task Page_RecipientWhoseQueueSortsFirst_ReadsNoneOfTheRecipientsAfterIt()
    {
        var (first, later) = ("sm_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "sm_zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz");
        using var store = await StoreAsync(scope =>
        {
            for (var seq = 1; seq <= BulkCount + 20; seq++)
            {
                var mine = seq <= 20;
                EnvelopeStore.Insert(scope, Envelope(mine ? first : later, seq, mine ? 100 : BulkSize, s_t0));
            }
        });

        // Through the whole queue and the empty page that tells the pump it has caught up.
        var envelopes = new EnvelopeStore(store.Database);
        var read = new List<long>();
        for (var after = 0L; ;)
        {
            var page = envelopes.Page(first, after, long.MaxValue, limit: 8, maxBytes: 1024 * 1024);
            if (page.Count == 0)
            {
                break;
            }

            read.AddRange(page.Select(e => e.Seq));
            after = page[^1].Seq;
        }

        Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), read);
        Assert.InRange(store.BytesRead, 1, MostBytesRead);
    }

    [Fact]
    public async Task ReceivedBetween_FewDueAndManyRecent_ReadsOnlyTheDueOnes()
    {
        using var store = await StoreAsync(scope =>
        {
            for (var seq = 1; seq <= BulkCount + 20; seq++)
            {
                var due = seq <= 20;
                EnvelopeStore.Insert(scope, Envelope(TestEnvelopes.Recipient, seq, due ? 100 : BulkSize, s_t0.AddMinutes(seq)));
            }
        });

        var due = new EnvelopeStore(store.Database).ReceivedBetween(DateTime.MinValue, s_t0.AddMinutes(21), limit: 100);

        Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), due.Select(e => e.Seq));
        Assert.InRange(store.BytesRead, 1, MostBytesRead);
    }

    [Fact]
    public async Task ReceivedBetween_UpperBound_IsExclusive()
    {
        using var store = await StoreAsync(scope =>
        {
            for (var seq = 1; seq <= 3; seq++)
            {
                EnvelopeStore.Insert(scope, Envelope(TestEnvelopes.Recipient, seq, 10, s_t0.AddMinutes(seq)));
            }
        });

        var due = new EnvelopeStore(store.Database).ReceivedBetween(s_t0.AddMinutes(1), s_t0.AddMinutes(3), limit: 100);

        Assert.Equal([1L, 2L], due.Select(e => e.Seq));
    }

    [Fact]
    public async Task BodiesBefore_FewOldAndManyRecentOrOfLaterProgrammes_ReadsOnlyTheOldOnes()
    {
        var cutoff = s_t0.AddDays(10);
        using var store = await StoreAsync(scope =>
        {
            var bodies = scope.Collection<AuditBodyDocument>(Collections.AuditBodies);
            for (var seq = 1; seq <= BulkCount + 20; seq++)
            {
                var old = seq <= 20;
                var programme = old || seq % 2 == 0 ? "pg_a" : "pg_b";
                var at = old ? s_t0.AddDays(1) : s_t0.AddDays(20);
                bodies.Insert(new AuditBodyDocument
                {
                    Id = seq,
                    ProgrammeId = programme,
                    Before = old ? "" : new string('x', BulkSize),
                    RetentionKey = AuditBodyDocument.RetentionKeyOf(programme, new DateTimeOffset(at).ToUnixTimeMilliseconds()),
                });
            }
        });

        var audit = new AuditTrail(store.Database, TimeProvider.System);
        var old = audit.BodiesBefore("pg_a", new DateTimeOffset(cutoff).ToUnixTimeMilliseconds(), limit: 100);

        Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), old.Order());
        Assert.InRange(store.BytesRead, 1, MostBytesRead);
        Assert.Empty(audit.BodiesBefore("pg_b", new DateTimeOffset(cutoff).ToUnixTimeMilliseconds(), limit: 100));
    }

    private static EnvelopeDocument Envelope(string recipient, long seq, int size, DateTime receivedAt)
    {
        var envelope = TestEnvelopes.Make("e" + seq, seq, size);
        envelope.RecipientId = recipient;
        envelope.QueueKey = EnvelopeDocument.QueueKeyOf(recipient, seq);
        envelope.ReceivedAt = receivedAt;
        return envelope;
    }

    private static Task<ReopenedDatabase> StoreAsync(Action<WriteScope> fill)
        => ReopenedDatabase.CreateAsync([new EnvelopeSchema(), new RetentionSchema(), new AuditSchema()], writer => writer.WriteAsync(fill));
}
