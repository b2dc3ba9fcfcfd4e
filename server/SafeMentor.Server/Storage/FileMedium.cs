namespace SafeMentor.Server.Storage;

/// <summary>
/// The database files in the data folder, opened for durable writes, and the folder's lock file, held for the life
/// of the process: LiteDB does not stop a second process from opening the same files (on Linux nothing does),
/// and two writers would corrupt them.
/// </summary>
internal sealed class FileMedium : DatabaseMedium
{
    public const string DataFileName = "safementor.db";
    public const string LogFileName = "safementor-log.db";
    public const string LockFileName = "safementor.lock";

    private readonly FileStream _lock;
    private readonly DurableFile _data;
    private readonly DurableFile _log;

    private FileMedium(FileStream folderLock, string folder)
    {
        _lock = folderLock;
        Folder = folder;
        _data = new DurableFile(Path.Combine(folder, DataFileName));
        _log = new DurableFile(Path.Combine(folder, LogFileName));
    }

    public string Folder { get; }

    /// <summary>What compacting the data file at open did, if it ran.</summary>
    public CompactionResult? Compaction { get; private init; }

    public override Stream Data => _data;

    public override Stream Log => _log;

    /// <summary>
    /// Opens the database files in <paramref name="folder"/>, creating the folder if needed, and first compacts the
    /// data file when <paramref name="compaction"/> finds it worth it.
    /// </summary>
    public static FileMedium Open(string folder, CompactionPolicy? compaction = null)
    {
        folder = Path.GetFullPath(folder);
        FileStream? folderLock = null;
        try
        {
            Directory.CreateDirectory(folder);
            folderLock = new FileStream(Path.Combine(folder, LockFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            folderLock?.Dispose();
            throw new StorageUnavailableException(
                $"The data folder {folder} (SafeMentor:DataDirectory) cannot be used: it is in use by another SafeMentor process or not writable. {e.Message}", e);
        }

        try
        {
            var compacted = compaction is null ? null : DataFileCompaction.RunIfWorthIt(folder, compaction);
            return new FileMedium(folderLock, folder) { Compaction = compacted };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            folderLock.Dispose();
            throw new StorageUnavailableException($"The database in {folder} could not be compacted or opened: {e.Message}", e);
        }
        catch
        {
            folderLock.Dispose();
            throw;
        }
    }

    public override void Dispose()
    {
        _data.Dispose();
        _log.Dispose();

        // A clean close checkpoints, which leaves an empty log behind; it carries nothing. Deleted while the folder
        // is still locked, so no other process can have opened it meanwhile.
        var log = Path.Combine(Folder, LogFileName);
        if (File.Exists(log) && new FileInfo(log).Length == 0)
        {
            File.Delete(log);
        }

        _lock.Dispose();
    }
}
