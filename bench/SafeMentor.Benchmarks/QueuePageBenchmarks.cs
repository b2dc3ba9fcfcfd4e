using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SafeMentor.Server.Messaging;
using SafeMentor.Server.Storage;

namespace SafeMentor.Benchmarks;

/// <summary>
/// What reading the end of one recipient's queue costs while others' queues are long. 100 recipients have 1,000
/// envelopes (1 KiB) each in a real LiteDB file. Baseline: reading the last recipient's final page and the empty page
/// after it (the read a delivery loop makes when it has caught up), where nothing sorts after the recipient.
/// Measured: the same reads for the first recipient, with 99,000 envelopes of others sorting after it. A ratio near 1
/// means a page costs what is in it, not what lies beyond it in the index.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 2, iterationCount: 10)]
public class QueuePageBenchmarks
{
    private const int Recipients = 100;
    private const int PerRecipient = 1000;
    private const int PageLimit = 256;

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "safementor-bench", Guid.NewGuid().ToString("N"));
    private Database _database = null!;
    private EnvelopeStore _store = null!;

    [GlobalSetup]
    public void Setup()
    {
        _database = new Database(FileMedium.Open(_folder), [new EnvelopeSchema()]);
        using (var writer = new StorageWriter(_database, new UnexpectedStorageFailure(), Options.Create(new StorageWriterOptions()), NullLogger<StorageWriter>.Instance))
        {
            var ciphertext = new byte[1024];
            var seq = 0L;
            for (var r = 0; r < Recipients; r++)
            {
                var recipient = RecipientId(r);
                var batch = new List<EnvelopeDocument>(PerRecipient);
                for (var i = 0; i < PerRecipient; i++)
                {
                    var id = Guid.NewGuid().ToString("N");
                    seq++;
                    batch.Add(new EnvelopeDocument
                    {
                        Id = EnvelopeDocument.KeyOf("sm_benchmarksender", id),
                        EnvelopeId = id,
                        Seq = seq,
                        QueueKey = EnvelopeDocument.QueueKeyOf(recipient, seq),
                        MentorshipId = "ms_benchmark" + r,
                        SenderId = "sm_benchmarksender",
                        RecipientId = recipient,
                        Ciphertext = ciphertext,
                        ReceivedAt = DateTime.UtcNow,
                    });
                }

                writer.WriteAsync(scope => batch.ForEach(envelope => EnvelopeStore.Insert(scope, envelope))).GetAwaiter().GetResult();
            }
        }

        _store = new EnvelopeStore(_database);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _database.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Benchmark(Baseline = true, Description = "end of the queue that sorts last")]
    public int EndOfLastQueue() => ReadEnd(Recipients - 1);

    [Benchmark(Description = "end of the queue that sorts first")]
    public int EndOfFirstQueue() => ReadEnd(0);

    private static string RecipientId(int index) => "sm_benchmarkrecipient" + index.ToString("d14", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The recipient's final page and the empty page after it.</summary>
    private int ReadEnd(int recipient)
    {
        var id = RecipientId(recipient);
        var lastSeq = (long)(recipient + 1) * PerRecipient;
        var final = _store.Page(id, lastSeq - (PerRecipient % PageLimit), long.MaxValue, PageLimit, long.MaxValue);
        var empty = _store.Page(id, lastSeq, long.MaxValue, PageLimit, long.MaxValue);
        return final.Count + empty.Count;
    }
}
