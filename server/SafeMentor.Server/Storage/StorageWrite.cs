using LiteDB;

namespace SafeMentor.Server.Storage;

/// <summary>
/// One change to the database, applied by the <see cref="StorageWriter"/> on its thread, inside the transaction
/// of the batch it belongs to. A change decides from what it reads (which includes the changes applied before it
/// in the same batch) and then writes; a refusal is a result, not an exception.
/// </summary>
internal abstract class StorageWrite
{
    /// <summary>
    /// Applies the change. An exception refuses this write alone: the batch is rolled back and applied again
    /// without it, so <see cref="Apply"/> may run more than once and must keep its effects inside the transaction
    /// and the <paramref name="scope"/>.
    /// </summary>
    internal abstract void Apply(WriteScope scope);

    /// <summary>The transaction holding this write is durable. Runs on the writer's thread, in commit order: keep it short.</summary>
    internal abstract void Committed();

    /// <summary>The write's <see cref="Apply"/> threw: nothing of it is in the database.</summary>
    internal abstract void Failed(Exception error);
}

/// <summary>
/// The open transaction as a change sees it: the collections, and a per-batch notebook in which changes leave
/// what later changes of the same batch must know (for example, that a mentorship has just ended). A rolled-back
/// batch is applied again on a fresh scope, so nothing in the notebook outlives its transaction.
/// </summary>
internal sealed class WriteScope(LiteDatabase database)
{
    private readonly Dictionary<string, object> _notes = new(StringComparer.Ordinal);

    public ILiteCollection<T> Collection<T>(string name) => database.GetCollection<T>(name);

    public bool TryGetNote<T>(string key, out T value)
        where T : class
    {
        if (_notes.TryGetValue(key, out var note))
        {
            value = (T)note;
            return true;
        }

        value = null!;
        return false;
    }

    public void SetNote<T>(string key, T value)
        where T : class
        => _notes[key] = value;

    public T Note<T>(string key)
        where T : class, new()
    {
        if (!TryGetNote<T>(key, out var value))
        {
            value = new T();
            _notes[key] = value;
        }

        return value;
    }
}

/// <summary>A change given as a function of the transaction, with an optional step on the writer's thread once durable.</summary>
internal sealed class DelegateWrite<T>(Func<WriteScope, T> apply, Action<T>? committed) : StorageWrite
{
    private readonly TaskCompletionSource<T> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private T _result = default!;

    public Task<T> Task => _done.Task;

    internal override void Apply(WriteScope scope) => _result = apply(scope);

    internal override void Committed()
    {
        try
        {
            committed?.Invoke(_result);
        }
        finally
        {
            _done.TrySetResult(_result);
        }
    }

    internal override void Failed(Exception error) => _done.TrySetException(new StorageFaultException(error));
}

/// <summary>A change could not be stored; nothing of it was written. Callers answer <c>unavailable</c>.</summary>
internal sealed class StorageFaultException : Exception
{
    public StorageFaultException()
        : base("The change could not be stored.")
    {
    }

    public StorageFaultException(string message)
        : base(message)
    {
    }

    public StorageFaultException(Exception innerException)
        : base("The change could not be stored.", innerException)
    {
    }

    public StorageFaultException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
