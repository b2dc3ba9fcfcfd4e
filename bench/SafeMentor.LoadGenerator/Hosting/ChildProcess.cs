using System.Diagnostics;

namespace SafeMentor.LoadGenerator.Hosting;

/// <summary>
/// A server under test running as a child process, so that its CPU and memory are its own. It is started by a small
/// <c>bash</c> wrapper that raises the open-files limit to the hard limit (many connections need many descriptors),
/// reports the server's process id, and kills the server when its own standard input closes: the load generator
/// holds that pipe open, so a server never outlives it, however it ends. The console is drained continuously (a
/// full pipe would stall the server) and the last lines are kept to explain a failure.
/// </summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private const int KeptLines = 20;
    private const string PidLine = "server-pid ";

    // $@ is the server's command line. Job control is off, so background commands get /dev/null as standard input;
    // the watcher reads the wrapper's own (kept as descriptor 3) until it closes. The wrapper exits with the server.
    private const string Wrapper =
        "ulimit -n \"$(ulimit -Hn)\" 2>/dev/null; exec 3<&0; \"$@\" & server=$!; echo \"" + PidLine + "$server\"; "
        + "(while read -r _ <&3; do :; done; kill -KILL \"$server\" 2>/dev/null) & watcher=$!; "
        + "wait \"$server\"; status=$?; kill \"$watcher\" 2>/dev/null; exit $status";

    private readonly Process _process;
    private readonly Queue<string> _tail = new();
    private readonly List<string> _problems = [];
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Func<string, bool> _isReady;
    private readonly Action<string>? _onLine;
    private int _serverPid;
    private int _exceptionLines;

    private ChildProcess(string name, Process process, Func<string, bool> isReady, Action<string>? onLine)
    {
        Name = name;
        _process = process;
        _isReady = isReady;
        _onLine = onLine;
    }

    public string Name { get; }

    /// <summary>The server's process id (not the wrapper's).</summary>
    public int Id => Volatile.Read(ref _serverPid);

    public bool HasExited => _process.HasExited;

    /// <summary>How long the process took from start until it printed its ready line.</summary>
    public TimeSpan StartupTime { get; private set; }

    /// <summary>
    /// Starts <c>dotnet <paramref name="dll"/> <paramref name="arguments"/></c> and waits until a line of its
    /// output satisfies <paramref name="isReady"/>.
    /// </summary>
    public static async Task<ChildProcess> StartAsync(
        string name,
        string dll,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string> environment,
        string workingDirectory,
        Func<string, bool> isReady,
        Action<string>? onLine = null,
        CancellationToken cancellationToken = default)
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Wrapper);
        start.ArgumentList.Add(name);
        start.ArgumentList.Add("dotnet");
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var started = Stopwatch.GetTimestamp();
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {name}.");
        var child = new ChildProcess(name, process, isReady, onLine);
        process.OutputDataReceived += (_, e) => child.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => child.OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(120));
        var exited = process.WaitForExitAsync(timeout.Token);
        try
        {
            var first = await Task.WhenAny(child._ready.Task, exited).WaitAsync(timeout.Token);
            if (first != child._ready.Task)
            {
                throw new InvalidOperationException($"{name} exited (code {process.ExitCode}) before it was ready:\n{child.Tail()}");
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await child.DisposeAsync();
            throw new TimeoutException($"{name} did not become ready within 120 s:\n{child.Tail()}");
        }
        catch
        {
            await child.DisposeAsync();
            throw;
        }

        child.StartupTime = Stopwatch.GetElapsedTime(started);
        return child;
    }

    public ProcessSample Sample() => ProcessStats.Sample(Id);

    /// <summary>The last few errors the process logged (Serilog's " ERR]" and " FTL]") since the last call, each with the two lines after it.</summary>
    public IReadOnlyList<string> TakeProblems()
    {
        lock (_gate)
        {
            var problems = _problems.ToList();
            _problems.Clear();
            return problems;
        }
    }

    /// <summary>The last lines the process printed.</summary>
    public string Tail()
    {
        lock (_gate)
        {
            return string.Join('\n', _tail);
        }
    }

    /// <summary>Asks the process to stop (SIGTERM, as a service manager would) and kills it if it has not stopped in time.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (_process.HasExited || Id == 0)
        {
            return;
        }

        using (var kill = Process.Start("kill", ["-TERM", Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        if (Id == 0 && line.StartsWith(PidLine, StringComparison.Ordinal))
        {
            Volatile.Write(ref _serverPid, int.Parse(line[PidLine.Length..], System.Globalization.CultureInfo.InvariantCulture));
            return;
        }

        lock (_gate)
        {
            _tail.Enqueue(line);
            if (_tail.Count > KeptLines)
            {
                _tail.Dequeue();
            }

            if (line.Contains(" ERR]", StringComparison.Ordinal) || line.Contains(" FTL]", StringComparison.Ordinal))
            {
                _problems.Add(line.Trim());
                if (_problems.Count > 5)
                {
                    _problems.RemoveAt(0);
                }

                _exceptionLines = 2;
            }
            else if (_exceptionLines > 0 && _problems.Count > 0)
            {
                // The exception's type and message follow the log line; keep them with it.
                _exceptionLines--;
                _problems[^1] += " | " + line.Trim();
            }
        }

        _onLine?.Invoke(line);
        if (!_ready.Task.IsCompleted && _isReady(line))
        {
            _ready.TrySetResult();
        }
    }
}
