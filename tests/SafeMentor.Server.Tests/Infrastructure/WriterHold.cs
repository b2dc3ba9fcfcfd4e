using SafeMentor.Server.Storage;

namespace SafeMentor.Server.Tests.Infrastructure;

/// <summary>
/// Keeps the storage writer's thread inside one write until released. <see cref="Start"/> returns only once the
/// writer is inside it, so every write queued afterwards waits and forms the next batch: counting queued writes is
/// then exact, whatever the machine's load.
/// </summary>
internal sealed class WriterHold : IDisposable
{
    private readonly ManualResetEventSlim _inside = new();
    private readonly ManualResetEventSlim _release = new();

    private WriterHold(StorageWriter writer)
    {
        Held = writer.WriteAsync(_ =>
        {
            _inside.Set();
            _release.Wait();
        });
    }

    /// <summary>The held write; completes after <see cref="ReleaseAsync"/>.</summary>
    public Task Held { get; }

    public static WriterHold Start(StorageWriter writer)
    {
        var hold = new WriterHold(writer);
        if (!hold._inside.Wait(TimeSpan.FromSeconds(30)))
        {
            hold.Dispose();
            throw new TimeoutException("The writer did not take the held write within 30 s.");
        }

        return hold;
    }

    public async Task ReleaseAsync()
    {
        _release.Set();
        await Held;
    }

    public void Dispose() => _release.Set();
}
