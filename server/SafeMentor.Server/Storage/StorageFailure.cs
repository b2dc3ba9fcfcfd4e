namespace SafeMentor.Server.Storage;

/// <summary>What happens when the storage writer cannot know whether a commit is durable.</summary>
internal interface IStorageFailure
{
    /// <summary>Called once, on the writer's thread, after the writer has stopped for good.</summary>
    void Stop(Exception error);
}

/// <summary>
/// Fail-stop: one line in the log and the process exits with code 74 (an I/O error), so that no caller is told
/// anything false about a commit of unknown outcome. Clients see their connection drop and resend to the
/// restarted server; resends are idempotent, and the database's write-ahead log is consistent at every instant.
/// </summary>
internal sealed partial class ExitOnStorageFailure(ILogger<ExitOnStorageFailure> logger, Serilog.ILogger serilog) : IStorageFailure
{
    public const int ExitCode = 74;

    public void Stop(Exception error)
    {
        var (type, reason) = (error.GetType().Name, error.Message);
        LogStopping(logger, type, reason, ExitCode);
        (serilog as IDisposable)?.Dispose();
        var exit = new Thread(() => Environment.Exit(ExitCode)) { IsBackground = false, Name = "SafeMentor storage stop" };
        exit.Start();

        // Shutdown hooks get a few seconds; a process that still has not gone by then is ended outright.
        var watchdog = new Thread(() =>
        {
            Thread.Sleep(TimeSpan.FromSeconds(10));
            Environment.FailFast("SafeMentor storage writer stopped and the process did not exit.");
        })
        { IsBackground = true, Name = "SafeMentor storage stop watchdog" };
        watchdog.Start();
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "Storage failed with the outcome of a commit unknown ({ExceptionType}: {Reason}); stopping the server with exit code {ExitCode}")]
    private static partial void LogStopping(ILogger logger, string exceptionType, string reason, int exitCode);
}
