using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SafeMentor.Server.Messaging;
using SafeMentor.Server.Storage;
using SafeMentor.Server.Tests.Infrastructure;

namespace SafeMentor.Server.Tests.Storage;

/// <summary>
/// Compacting the data file at start, on real files: the space of deleted envelopes goes back to the file system,
/// every remaining document and index survives, and an unfinished copy left by a crash is ignored.
/// </summary>
public sealed class CompactionTests : IDisposable
{
    private static readonly CompactionPolicy s_eager = new(Enabled: true, MinimumFreeBytes: 1024 * 1024, MinimumFreePercent: 25);

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "sm-compact-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Open_AfterMostEnvelopesWereDeleted_ShrinksTheFileAndKeepsTheRest()
    {
        var kept = await FillAndDrainAsync(total: 3000, keep: 200, fill: 0x6b);
        var before = new FileInfo(DataPath).Length;

        using (var medium = FileMedium.Open(_folder, s_eager))
        {
            // The replaced file's space is free only once nothing holds it open.
            Assert.Empty(OpenFilesReplacedIn(_folder));
            var compaction = Assert.IsType<CompactionResult>(medium.Compaction);
            Assert.Equal(before, compaction.BytesBefore);
            using var database = new Database(medium, [new EnvelopeSchema()]);
            var envelopes = database.Collection<EnvelopeDocument>(Collections.Envelopes);
            Assert.Equal(kept.Order(StringComparer.Ordinal), envelopes.FindAll().Select(e => e.EnvelopeId).Order(StringComparer.Ordinal));
            Assert.All(envelopes.FindAll(), e => Assert.Equal(1024, e.Ciphertext.Length));
            Assert.Empty(DatabaseIntegrity.Problems(database.Lite));
            Assert.Equal(kept.Count, new EnvelopeStore(database).Page(TestEnvelopes.Recipient, 0, long.MaxValue, 10_000, long.MaxValue).Count);
        }

        var after = new FileInfo(DataPath).Length;
        Assert.True(after * 4 < before, $"the file went from {before} to {after} bytes");
        Assert.False(File.Exists(DataPath + DataFileCompaction.CopySuffix));
    }

    [Fact]
    public async Task CountEmptyPages_FromPageHeaders_AgreesWithLiteDBsOwnPageList()
    {
        await FillAndDrainAsync(total: 1500, keep: 300, fill: 0x6e);
        long listed;
        using (var medium = FileMedium.Open(_folder, new CompactionPolicy(Enabled: false, 0, 0)))
        using (var database = new Database(medium, [new EnvelopeSchema()]))
        {
            database.Checkpoint();
            using var reader = database.Lite.Execute("SELECT COUNT(*) AS n FROM $page_list WHERE pageType = 'Empty'");
            Assert.True(reader.Read());
            listed = reader.Current["n"].AsInt64;
        }

        Assert.True(listed > 100, $"only {listed} empty pages: the drain should have freed many");
        Assert.Equal(listed, DataFileCompaction.CountEmptyPages(DataPath));
    }

    [Fact]
    public async Task Open_WithLittleFreeSpace_LeavesTheFileAlone()
    {
        await FillAndDrainAsync(total: 1500, keep: 1400, fill: 0x6c);
        var before = File.ReadAllBytes(DataPath);

        using (var medium = FileMedium.Open(_folder, s_eager))
        {
            Assert.Null(medium.Compaction);
        }

        Assert.Equal(before.Length, new FileInfo(DataPath).Length);
    }

    [Fact]
    public async Task Open_WithAnUnfinishedCopyFromACrash_DeletesItAndKeepsTheOriginal()
    {
        var kept = await FillAndDrainAsync(total: 1500, keep: 1400, fill: 0x6d);
        await File.WriteAllBytesAsync(DataPath + DataFileCompaction.CopySuffix, new byte[8192 * 3]);

        using (var medium = FileMedium.Open(_folder, s_eager))
        using (var database = new Database(medium, [new EnvelopeSchema()]))
        {
            Assert.Equal(kept.Count, database.Collection<EnvelopeDocument>(Collections.Envelopes).Count());
        }

        Assert.False(File.Exists(DataPath + DataFileCompaction.CopySuffix));
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private string DataPath => Path.Combine(_folder, FileMedium.DataFileName);

    /// <summary>Files in <paramref name="folder"/> that this process still holds open although they were deleted or replaced (Linux).</summary>
    private static List<string> OpenFilesReplacedIn(string folder)
    {
        if (!OperatingSystem.IsLinux())
        {
            return [];
        }

        return [.. new DirectoryInfo("/proc/self/fd").EnumerateFileSystemInfos()
            .Select(fd => fd.LinkTarget)
            .OfType<string>()
            .Where(target => target.StartsWith(folder, StringComparison.Ordinal) && target.EndsWith(" (deleted)", StringComparison.Ordinal))];
    }

    /// <summary>Writes <paramref name="total"/> 1 KiB envelopes through the writer, deletes all but <paramref name="keep"/>, and closes.</summary>
    private async Task<List<string>> FillAndDrainAsync(int total, int keep, byte fill)
    {
        using var medium = FileMedium.Open(_folder);
        using var database = new Database(medium, [new EnvelopeSchema()]);
        using var writer = new StorageWriter(database, new RecordingStorageFailure(), Options.Create(new StorageWriterOptions()), NullLogger<StorageWriter>.Instance);
        var documents = Enumerable.Range(0, total).Select(i => TestEnvelopes.Make("e" + i, i + 1, 1024, fill)).ToList();
        foreach (var chunk in documents.Chunk(500))
        {
            await writer.WriteAsync(scope => chunk.ToList().ForEach(e => EnvelopeStore.Insert(scope, e)));
        }

        var gone = documents.Skip(keep).Select(e => e.Id).ToList();
        await writer.WriteAsync(scope => gone.ForEach(id => scope.Collection<EnvelopeDocument>(Collections.Envelopes).Delete(id)));
        return documents.Take(keep).Select(e => e.EnvelopeId).ToList();
    }
}
