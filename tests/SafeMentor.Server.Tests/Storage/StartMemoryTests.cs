using SafeMentor.Server.Messaging;
using SafeMentor.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SafeMentor.Server.Tests.Storage;

/// <summary>Tests that measure this process's managed heap, run alone so that no other test's allocations count.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HeapMeasurements
{
    public const string Name = "heap measurements";
}

/// <summary>
/// A server that starts with a long queue reads what it keeps about each stored envelope without keeping the
/// envelopes: LiteDB caches every page a read touches until the read ends and never gives its cache back, so the
/// start reads in short pages.
/// </summary>
[Collection(HeapMeasurements.Name)]
public sealed class StartMemoryTests(ITestOutputHelper output)
{
    [Fact]
    public async Task All_LongQueueOf8KiBEnvelopes_HeapAfterwardsFarBelowTheQueueSize()
    {
        const int queued = 10_000;
        const int size = 8 * 1024;
        using var reopened = await ReopenedDatabase.CreateAsync([new EnvelopeSchema()], async writer =>
        {
            for (var batch = 0; batch < queued / 500; batch++)
            {
                var first = batch * 500;
                await writer.WriteAsync(scope =>
                {
                    for (var seq = first + 1; seq <= first + 500; seq++)
                    {
                        EnvelopeStore.Insert(scope, TestEnvelopes.Make("e" + seq, seq, size, fill: (byte)seq));
                    }
                });
            }
        });
        var queueBytes = (long)queued * size;

        var before = GC.GetTotalMemory(forceFullCollection: true);
        var seen = new HashSet<long>();
        long ciphertextBytes = 0;
        foreach (var envelope in new EnvelopeStore(reopened.Database).AllStored())
        {
            Assert.True(seen.Add(envelope.Seq), $"envelope {envelope.Seq} read twice");
            ciphertextBytes += envelope.Size;
        }

        var after = GC.GetTotalMemory(forceFullCollection: true);

        Assert.Equal(queued, seen.Count);
        Assert.Equal(queueBytes, ciphertextBytes);
        output.WriteLine($"{queued} x {size} B ({queueBytes >> 20} MiB) read: heap {before >> 20} MiB before, {after >> 20} MiB after");

        // One read over the whole collection left about the queue's size in LiteDB's cache (84 MiB for 78 MiB; read in pages, 14 MiB).
        Assert.True(after - before < queueBytes / 4, $"the heap grew by {(after - before) >> 20} MiB after reading {queueBytes >> 20} MiB");
    }
}
