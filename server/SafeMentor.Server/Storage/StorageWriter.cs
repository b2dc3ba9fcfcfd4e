using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace SafeMentor.Server.Storage;

/// <summary>
/// The only writer of the database. Every change of every feature is a <see cref="StorageWrite"/> handed to
/// <see cref="Enqueue"/> (or <see cref="WriteAsync{T}"/>); one thread takes whatever is waiting, applies it in
/// one transaction, commits, makes the commit durable, and only then tells each caller. Under load the next batch
/// gathers while one is being made durable, so many changes share one flush (group commit), and there are never
/// two write transactions at once.
/// </summary>
/// <remarks>
/// Failures split in two. A change that throws while it is applied is refused alone (its caller sees
/// <see cref="StorageFaultException"/>) and the rest of its batch is applied again without it. A commit, flush or
/// checkpoint that fails leaves the durability of the batch unknown: the writer stops for good and
/// <see cref="IStorageFailure"/> stops the process, so that no caller is told "stored" or "not stored" wrongly.
/// </remarks>
internal sealed partial class StorageWriter : IDisposable
{
    private readonly Database _database;
    private readonly IStorageFailure _failure;
    private readonly ILogger<StorageWriter> _logger;
    private readonly int _maxBatch;
    private readonly long _checkpointBytes;
    private readonly Channel<StorageWrite> _input = Channel.CreateUnbounded<StorageWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Thread _thread;
    private long _commits;
    private long _writes;
    private long _checkpoints;
    private int _queued;
    private volatile bool _stopped;

    public StorageWriter(Database database, IStorageFailure failure, IOptions<StorageWriterOptions> options, ILogger<StorageWriter> logger)
    {
        _database = database;
        _failure = failure;
        _logger = logger;
        _maxBatch = options.Value.MaxBatchWrites;
        _checkpointBytes = options.Value.CheckpointLogMegabytes * 1024L * 1024L;
        _thread = new Thread(Run) { Name = "SafeMentor storage writer", IsBackground = true };
        _thread.Start();
    }

    /// <summary>Transactions committed durably so far.</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>Changes committed durably so far.</summary>
    public long Writes => Interlocked.Read(ref _writes);

    /// <summary>Checkpoints (log copied into the data file) so far.</summary>
    public long Checkpoints => Interlocked.Read(ref _checkpoints);

    /// <summary>Changes waiting for the writer to take them (diagnostics and tests).</summary>
    public int Queued => Volatile.Read(ref _queued);

    /// <summary>Whether the writer stopped after a failure whose outcome it could not know.</summary>
    public bool Stopped => _stopped;

    /// <summary>Queues a change; its own completion tells the caller when it is durable.</summary>
    public void Enqueue(StorageWrite write)
    {
        Interlocked.Increment(ref _queued);
        if (!_input.Writer.TryWrite(write))
        {
            Interlocked.Decrement(ref _queued);
            write.Failed(new ObjectDisposedException(nameof(StorageWriter)));
        }
    }

    /// <summary>
    /// Applies <paramref name="apply"/> in the writer's next transaction and completes once that transaction is
    /// durable. <paramref name="committed"/>, if given, runs on the writer's thread before the caller resumes, in
    /// commit order: the place to update in-memory state that must follow the database exactly.
    /// </summary>
    public Task<T> WriteAsync<T>(Func<WriteScope, T> apply, Action<T>? committed = null)
    {
        var write = new DelegateWrite<T>(apply, committed);
        Enqueue(write);
        return write.Task;
    }

    /// <summary>Like <see cref="WriteAsync{T}"/> for a change with no result.</summary>
    public Task WriteAsync(Action<WriteScope> apply, Action? committed = null)
        => WriteAsync<bool>(
            scope =>
            {
                apply(scope);
                return true;
            },
            committed is null ? null : _ => committed());

    /// <summary>
    /// Checkpoints after the writer's next commit, on its thread and under its failure policy (a checkpoint that
    /// fails stops the writer, as its own do): the log is copied into the data file and emptied. Completes with
    /// whether the log was empty right after, before any later commit wrote to it again.
    /// </summary>
    public Task<bool> CheckpointAsync()
    {
        var write = new CheckpointRequest(_database);
        Enqueue(write);
        return write.Task;
    }

    /// <summary>Finishes what is queued, checkpoints, and stops the thread.</summary>
    public void Dispose()
    {
        _input.Writer.TryComplete();
        if (!_stopped && !_thread.Join(TimeSpan.FromSeconds(30)))
        {
            LogShutdownTimedOut(_logger);
        }
    }

    private void Run()
    {
        var batch = new List<StorageWrite>(_maxBatch);
        try
        {
            while (_input.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
            {
                batch.Clear();
                while (batch.Count < _maxBatch && _input.Reader.TryRead(out var write))
                {
                    batch.Add(write);
                }

                Interlocked.Add(ref _queued, -batch.Count);

                if (!CommitBatch(batch))
                {
                    return;
                }
            }

            // Queue closed and drained: leave a clean data file and an empty log behind.
            _database.Checkpoint();
        }
#pragma warning disable CA1031 // Any failure here leaves durability unknown; the failure policy decides what happens.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Stop(e);
        }
    }

    /// <summary>Applies, commits and makes durable one batch; false when the writer had to stop.</summary>
    private bool CommitBatch(List<StorageWrite> batch)
    {
        var lite = _database.Lite;
        var started = Stopwatch.GetTimestamp();
        while (batch.Count > 0)
        {
            if (!lite.BeginTrans())
            {
                Stop(new InvalidOperationException("A transaction was already open on the storage writer's thread."));
                return false;
            }

            var scope = new WriteScope(lite);
            var failedAt = -1;
            Exception? failure = null;
            for (var i = 0; i < batch.Count; i++)
            {
                try
                {
                    batch[i].Apply(scope);
                }
#pragma warning disable CA1031 // A change that throws is refused alone; which exception it was does not matter to the batch.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    failedAt = i;
                    failure = e;
                    break;
                }
            }

            if (failure is not null)
            {
                lite.Rollback();
                var failed = batch[failedAt];
                batch.RemoveAt(failedAt);
                var (type, reason) = (failure.GetType().Name, failure.Message);
                LogWriteRefused(_logger, type, reason);
                failed.Failed(failure);
                continue;
            }

            lite.Commit();
            _database.Medium.SyncLog();
            if (_database.LogLength >= _checkpointBytes || batch.Exists(write => write is CheckpointRequest))
            {
                _database.Checkpoint();
                Interlocked.Increment(ref _checkpoints);
            }

            Interlocked.Increment(ref _commits);
            Interlocked.Add(ref _writes, batch.Count);
            var elapsedMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            LogBatchCommitted(_logger, batch.Count, elapsedMs);
            foreach (var write in batch)
            {
                try
                {
                    write.Committed();
                }
#pragma warning disable CA1031 // The change is durable whatever a follow-up step does; one bug must not stop the writer.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    LogCommittedStepFailed(_logger, e);
                }
            }

            return true;
        }

        return true;
    }

    /// <summary>Writes nothing; its batch checkpoints after committing, and it reports whether the log was then empty.</summary>
    private sealed class CheckpointRequest(Database database) : StorageWrite
    {
        private readonly TaskCompletionSource<bool> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<bool> Task => _done.Task;

        internal override void Apply(WriteScope scope)
        {
        }

        internal override void Committed() => _done.TrySetResult(database.LogLength == 0);

        internal override void Failed(Exception error) => _done.TrySetException(new StorageFaultException(error));
    }

    private void Stop(Exception error)
    {
        _stopped = true;
        _database.Abandon();
        _input.Writer.TryComplete();
        _failure.Stop(error);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Committed {Count} changes in one durable transaction in {ElapsedMs:0.0} ms")]
    private static partial void LogBatchCommitted(ILogger logger, int count, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "A change could not be applied and was refused ({ExceptionType}: {Reason}); the rest of its batch was applied without it")]
    private static partial void LogWriteRefused(ILogger logger, string exceptionType, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "A step after a durable commit failed")]
    private static partial void LogCommittedStepFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The storage writer did not finish its queue within 30 seconds of shutdown")]
    private static partial void LogShutdownTimedOut(ILogger logger);
}
