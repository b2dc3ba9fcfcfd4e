namespace SafeMentor.Server.Storage;

/// <summary>
/// The two files a LiteDB database lives in, the data file and its write-ahead log, with the one durability
/// operation the writer needs: <see cref="SyncLog"/>. Both streams are flushed to stable storage by
/// <see cref="Stream.Flush()"/> (LiteDB flushes the data file itself when it checkpoints). Production uses
/// <see cref="FileMedium"/>; tests substitute a medium that can lose whatever was not flushed, as a power cut does.
/// </summary>
internal abstract class DatabaseMedium : IDisposable
{
    /// <summary>The data file. <see cref="Stream.Flush()"/> makes what was written durable.</summary>
    public abstract Stream Data { get; }

    /// <summary>The write-ahead log, as LiteDB writes it. Durable only after <see cref="SyncLog"/>.</summary>
    public abstract Stream Log { get; }

    /// <summary>Makes every write to the log so far durable.</summary>
    public void SyncLog() => Log.Flush();

    public abstract void Dispose();
}
