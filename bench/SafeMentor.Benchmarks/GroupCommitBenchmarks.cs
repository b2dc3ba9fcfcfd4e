using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SafeMentor.Server.Messaging;
using SafeMentor.Server.Storage;

namespace SafeMentor.Benchmarks;

/// <summary>
/// Why the relay batches its writes. A burst of envelopes from many senders goes through the real storage writer
/// onto a real LiteDB file, each sender waiting until its envelope is durable. Baseline: one durable commit per
/// envelope (MaxBatchWrites = 1). Measured: group commit (the default batch size), where envelopes arriving during
/// one commit share the next. The ratio is the time per acknowledged envelope.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class GroupCommitBenchmarks
{
    private const int Burst = 200;

    private Store _perMessage = null!;
    private Store _grouped = null!;

    [GlobalSetup]
    public void Setup()
    {
        _perMessage = new Store(maxBatchWrites: 1);
        _grouped = new Store(maxBatchWrites: new StorageWriterOptions().MaxBatchWrites);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _perMessage.Dispose();
        _grouped.Dispose();
    }

    [IterationCleanup]
    public void Empty()
    {
        _perMessage.Empty();
        _grouped.Empty();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Burst, Description = "one durable commit per envelope")]
    public Task PerMessageCommit() => _perMessage.WriteBurstAsync(Burst);

    [Benchmark(OperationsPerInvoke = Burst, Description = "group commit")]
    public Task GroupCommit() => _grouped.WriteBurstAsync(Burst);

    /// <summary>The storage path without the network: the writer and a LiteDB file in a temporary folder.</summary>
    private sealed class Store : IDisposable
    {
        private const string Recipient = "sm_benchmarkrecipient00000000000000";
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "safementor-bench", Guid.NewGuid().ToString("N"));
        private readonly Database _database;
        private readonly StorageWriter _writer;
        private readonly byte[] _ciphertext = new byte[1024];
        private long _seq;

        public Store(int maxBatchWrites)
        {
            _database = new Database(FileMedium.Open(_folder), [new EnvelopeSchema()]);
            _writer = new StorageWriter(_database, new UnexpectedStorageFailure(), Options.Create(new StorageWriterOptions { MaxBatchWrites = maxBatchWrites }), NullLogger<StorageWriter>.Instance);
        }

        public Task WriteBurstAsync(int count)
        {
            var writes = new Task[count];
            for (var i = 0; i < count; i++)
            {
                var id = Guid.NewGuid().ToString("N");
                var sender = "sm_benchmarksender" + (i % 16);
                var seq = ++_seq;
                var envelope = new EnvelopeDocument
                {
                    Id = EnvelopeDocument.KeyOf(sender, id),
                    EnvelopeId = id,
                    Seq = seq,
                    QueueKey = EnvelopeDocument.QueueKeyOf(Recipient, seq),
                    MentorshipId = "ms_benchmark",
                    SenderId = sender,
                    RecipientId = Recipient,
                    Ciphertext = _ciphertext,
                    ReceivedAt = DateTime.UtcNow,
                };
                writes[i] = _writer.WriteAsync(scope => EnvelopeStore.Insert(scope, envelope));
            }

            return Task.WhenAll(writes);
        }

        public void Empty() => _writer.WriteAsync(scope => scope.Collection<EnvelopeDocument>(Collections.Envelopes).DeleteAll()).GetAwaiter().GetResult();

        public void Dispose()
        {
            _writer.Dispose();
            _database.Dispose();
            Directory.Delete(_folder, recursive: true);
        }
    }
}
