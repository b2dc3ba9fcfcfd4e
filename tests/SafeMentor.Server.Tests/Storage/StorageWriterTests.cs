using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SafeMentor.Server.Messaging;
using SafeMentor.Server.Storage;
using SafeMentor.Server.Tests.Infrastructure;

namespace SafeMentor.Server.Tests.Storage;

/// <summary>The single writer on its own: batching, refusing one change alone, fail-stop, and all-or-nothing commits.</summary>
public sealed class StorageWriterTests
{
    [Theory]
    [InlineData(20)]
    [InlineData(1100)] // over the 1 MiB checkpoint threshold: the log is copied into the data file and truncated first
    public async Task Commit_PowerCutAsItsFlushBegins_IsAllOrNothingAndNeverTorn(int first)
    {
        var seed = LongTests.Seed();
        for (var round = 0; round < LongTests.Pick(30, 300); round++)
        {
            var random = new Random(seed + round);
            var medium = new PowerCutMedium();
            using var store = new Store(medium);
            await store.InsertAsync("first", first);

            // The cut comes as the first or second flush of a many-page transaction begins: with the write barrier,
            // its pages are either all durable before its confirming page is written, or the transaction is not there.
            medium.CutAtFlush(random.Next(1, 3), random);
            var second = store.InsertAsync("second", 40);
            await Task.WhenAny(second, store.Failure.Stopped);
            var (data, log) = medium.Cut(random);

            using var reopened = new Store(new PowerCutMedium(data, log));
            Assert.Empty(DatabaseIntegrity.Problems(reopened.Database.Lite));
            var count = reopened.Database.Collection<EnvelopeDocument>(Collections.Envelopes).Count();
            Assert.True(count == first || count == first + 40, $"seed {seed + round}: {count} envelopes: a transaction was applied in part");
            Assert.True(!second.IsCompletedSuccessfully || count == first + 40, $"seed {seed + round}: an answered transaction was lost");
        }
    }

    [Fact]
    public async Task Apply_OneChangeThrows_OnlyThatChangeIsRefusedAndTheRestOfItsBatchCommits()
    {
        using var store = new Store(new PowerCutMedium());
        using var hold = WriterHold.Start(store.Writer);

        // These three queue up behind the blocker and form the next batch together.
        var before = store.InsertAsync("before", 1);
        var failing = store.Writer.WriteAsync(scope =>
        {
            EnvelopeStore.Insert(scope, Store.Envelope("half-done", 1));
            throw new InvalidOperationException("a change that fails after writing");
        });
        var after = store.InsertAsync("after", 1);
        await hold.ReleaseAsync();

        await before;
        await after;
        await Assert.ThrowsAsync<StorageFaultException>(() => failing);
        var ids = store.Database.Collection<EnvelopeDocument>(Collections.Envelopes).FindAll().Select(e => e.EnvelopeId).Order().ToList();
        Assert.Equal(["after0", "before0"], ids);
        Assert.False(store.Writer.Stopped);
    }

    [Fact]
    public async Task Commit_FlushFails_WriterStopsAndTellsNoCallerAnything()
    {
        var medium = new PowerCutMedium();
        using var store = new Store(medium);
        await store.InsertAsync("kept", 1);

        medium.CutAtFlush(1, new Random(1));
        var unknown = store.InsertAsync("unknown", 1);
        var error = await store.Failure.Stopped.WaitAsync(TimeSpan.FromSeconds(10));
        var later = store.InsertAsync("later", 1);
        await Task.Delay(200);

        Assert.IsType<IOException>(error);
        Assert.True(store.Writer.Stopped);
        Assert.False(unknown.IsCompleted, "a commit of unknown outcome must be answered neither way");
        Assert.False(later.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task CheckpointAsync_AfterWrites_EmptiesTheLogIntoTheDataFileDurably()
    {
        var medium = new PowerCutMedium();
        using var store = new Store(medium);
        await store.InsertAsync("envelope", 20);
        Assert.True(medium.Log.Length > 0);

        Assert.True(await store.Writer.CheckpointAsync());

        Assert.Equal(0, medium.Log.Length);
        var (data, log) = medium.Cut(new Random(2));
        using var reopened = new Store(new PowerCutMedium(data, log));
        Assert.Equal(20, reopened.Database.Collection<EnvelopeDocument>(Collections.Envelopes).Count());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task CheckpointAsync_StorageFailsDuringIt_WriterStopsAsForItsOwnCheckpoints(int flush)
    {
        var medium = new PowerCutMedium();
        using var store = new Store(medium);
        await store.InsertAsync("kept", 20);

        medium.CutAtFlush(flush, new Random(flush));
        var checkpoint = store.Writer.CheckpointAsync();
        var error = await store.Failure.Stopped.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.IsType<IOException>(error);
        Assert.True(store.Writer.Stopped);
        Assert.False(checkpoint.IsCompleted, "a checkpoint that failed must not be reported done");
        var (data, log) = medium.Kept!.Value;
        using var reopened = new Store(new PowerCutMedium(data, log));
        Assert.Equal(20, reopened.Database.Collection<EnvelopeDocument>(Collections.Envelopes).Count());
    }

    [Fact]
    public async Task WriteAsync_ManyConcurrentCallers_ShareDurableCommits()
    {
        const int Writes = 300;
        var medium = new PowerCutMedium();
        using var store = new Store(medium);
        var commitsBefore = store.Writer.Commits;

        await Task.WhenAll(Enumerable.Range(0, Writes).Select(i => Task.Run(() => store.InsertAsync("concurrent" + i, 1))));

        var commits = store.Writer.Commits - commitsBefore;
        Assert.True(commits < Writes, $"{commits} commits for {Writes} writes: expected group commit");
        Assert.Equal(Writes, store.Database.Collection<EnvelopeDocument>(Collections.Envelopes).Count());
    }

    [Fact]
    public async Task Dispose_AfterWrites_CheckpointsAndLeavesAnEmptyLog()
    {
        var medium = new PowerCutMedium();
        var store = new Store(medium);
        await store.InsertAsync("envelope", 50);
        Assert.True(medium.Log.Length > 0);

        store.Dispose();

        Assert.Equal(0, medium.Log.Length);
        var (data, log) = medium.Cut(new Random(1));
        using var reopened = new Store(new PowerCutMedium(data, log));
        Assert.Equal(50, reopened.Database.Collection<EnvelopeDocument>(Collections.Envelopes).Count());
    }

    /// <summary>A database with its writer on a medium, as the server has them, without the server.</summary>
    private sealed class Store : IDisposable
    {
        public Store(PowerCutMedium medium)
        {
            Database = new Database(medium, [new EnvelopeSchema()]);
            Writer = new StorageWriter(Database, Failure, Options.Create(new StorageWriterOptions { CheckpointLogMegabytes = 1 }), NullLogger<StorageWriter>.Instance);
        }

        public Database Database { get; }

        public StorageWriter Writer { get; }

        public RecordingStorageFailure Failure { get; } = new();

        public Task InsertAsync(string prefix, int count)
            => Writer.WriteAsync(scope =>
            {
                for (var i = 0; i < count; i++)
                {
                    EnvelopeStore.Insert(scope, Envelope(prefix + i, 1024));
                }
            });

        public static EnvelopeDocument Envelope(string id, int size) => TestEnvelopes.Make(id, Random.Shared.NextInt64(1, long.MaxValue), size);

        public void Dispose()
        {
            Writer.Dispose();
            Database.Dispose();
        }
    }
}
