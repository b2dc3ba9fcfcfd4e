using SafeMentor.Server.Storage;

namespace SafeMentor.Server.Tests.Infrastructure;

/// <summary>In place of the process exit a real server performs: remembers that the storage writer stopped, and why.</summary>
internal sealed class RecordingStorageFailure : IStorageFailure
{
    private readonly TaskCompletionSource<Exception> _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool HasStopped => _stopped.Task.IsCompleted;

    public Task<Exception> Stopped => _stopped.Task;

    public void Stop(Exception error) => _stopped.TrySetResult(error);
}
