using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SafeMentor.Server.Messaging;
using SafeMentor.Server.Storage;

namespace SafeMentor.Benchmarks;

/// <summary>
/// Why the relay batches its writes. A burst of envelopes from many senders goes through the real queue
/// and writer onto a real LiteDB file, each sender waiting until its envelope is durable. Baseline: one
/// durable commit per envelope (MaxBatchSize = 1). Measured: group commit (the default batch size), where
/// envelopes arriving during one commit share the next. The ratio is the time per acknowledged envelope.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class GroupCommitBenchmarks
{
    private const int Burst = 200;

    private Relay _perMessage = null!;
    private Relay _grouped = null!;

    [GlobalSetup]
    public void Setup()
    {
        _perMessage = new Relay(maxBatchSize: 1);
        _grouped = new Relay(maxBatchSize: new RelayOptions().MaxBatchSize);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _perMessage.Dispose();
        _grouped.Dispose();
    }

    [IterationCleanup]
    public void EmptyQueues()
    {
        _perMessage.Drain();
        _grouped.Drain();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Burst, Description = "one durable commit per envelope")]
    public Task PerMessageCommit() => _perMessage.SendBurstAsync(Burst);

    [Benchmark(OperationsPerInvoke = Burst, Description = "group commit")]
    public Task GroupCommit() => _grouped.SendBurstAsync(Burst);

    /// <summary>The relay's storage path without the network: queue, writer and a LiteDB file in a temporary folder.</summary>
    private sealed class Relay : IDisposable
    {
        private const string Recipient = "sm_benchmarkrecipient00000000000000";
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "safementor-bench", Guid.NewGuid().ToString("N"));
        private readonly Database _database;
        private readonly EnvelopeStore _store;
        private readonly EnvelopeQueue _queue;
        private readonly EnvelopeWriter _writer;
        private readonly byte[] _ciphertext = new byte[1024];

        public Relay(int maxBatchSize)
        {
            var relayOptions = Options.Create(new RelayOptions { MaxBatchSize = maxBatchSize });
            _database = new Database(Options.Create(new StorageOptions { DataDirectory = _folder }));
            _store = new EnvelopeStore(_database);
            _queue = new EnvelopeQueue(_store, relayOptions);
            _writer = new EnvelopeWriter(_queue, _store, relayOptions, NullLogger<EnvelopeWriter>.Instance);
            _writer.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
        }

        public Task SendBurstAsync(int count)
        {
            var acknowledgements = new Task[count];
            for (var i = 0; i < count; i++)
            {
                var envelope = new EnvelopeDocument
                {
                    Id = Guid.NewGuid().ToString("N"),
                    MentorshipId = "ms_benchmark",
                    SenderId = "sm_benchmarksender" + (i % 16),
                    RecipientId = Recipient,
                    Ciphertext = _ciphertext,
                    ReceivedAt = DateTime.UtcNow,
                };
                acknowledgements[i] = _queue.Accept(envelope, () => null).Safe;
            }

            return Task.WhenAll(acknowledgements);
        }

        public void Drain() => _store.DeleteFor(Recipient, [.. _store.QueuedFor(Recipient).Select(e => e.Id)]);

        public void Dispose()
        {
            _writer.StopAsync(CancellationToken.None).GetAwaiter().GetResult();
            _writer.Dispose();
            _database.Dispose();
            Directory.Delete(_folder, recursive: true);
        }
    }
}
