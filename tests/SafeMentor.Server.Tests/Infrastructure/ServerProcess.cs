using System.Diagnostics;
using Microsoft.AspNetCore.Http.Connections.Client;
using SafeMentor.Tests.Shared;

namespace SafeMentor.Server.Tests.Infrastructure;

/// <summary>
/// The server as a real process on a loopback port, with its own data folder, that a test can kill
/// (SIGKILL, as a crash) and start again on the same port and folder.
/// </summary>
public sealed class ServerProcess : IRelayHost, IDisposable
{
    private readonly int _port;
    private readonly (string Key, string Value)[] _environment;
    private readonly int? _descriptorLimit;
    private Process? _process;
    private string? _invite;

    private ServerProcess(string dataDirectory, int port, (string Key, string Value)[] environment, int? descriptorLimit = null)
    {
        DataDirectory = dataDirectory;
        _port = port;
        _environment = environment;
        _descriptorLimit = descriptorLimit;
    }

    /// <summary>Everything the process wrote to its console so far.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> Output { get; } = new();

    /// <summary>Whether the process is running.</summary>
    public bool IsRunning => _process is { HasExited: false };

    public string DataDirectory { get; }

    public TimeProvider Clock => TimeProvider.System;

    public Uri BaseAddress => new($"http://127.0.0.1:{_port}/");

    /// <summary>Starts a server; <paramref name="environment"/> adds settings (for example <c>SafeMentor__Auth__AccessTokenMinutes</c>).</summary>
    public static async Task<ServerProcess> StartAsync(params (string Key, string Value)[] environment)
    {
        var server = new ServerProcess(Path.Combine(Path.GetTempPath(), "safementor-tests", Guid.NewGuid().ToString("N")), TestPorts.Free(), environment);
        await server.RestartAsync();
        return server;
    }

    /// <summary>
    /// Starts a server whose file descriptor limit (soft and hard) is <paramref name="descriptorLimit"/>, as
    /// <c>ulimit -n</c> sets it (Linux and macOS: through bash).
    /// </summary>
    public static async Task<ServerProcess> StartWithDescriptorLimitAsync(int descriptorLimit, params (string Key, string Value)[] environment)
    {
        var server = new ServerProcess(Path.Combine(Path.GetTempPath(), "safementor-tests", Guid.NewGuid().ToString("N")), TestPorts.Free(), environment, descriptorLimit);
        await server.RestartAsync();
        return server;
    }

    /// <summary>Starts the process (again) and waits until it listens.</summary>
    public async Task RestartAsync()
    {
        var start = new ProcessStartInfo(_descriptorLimit is null ? "dotnet" : "bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        if (_descriptorLimit is { } limit)
        {
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add($"ulimit -n {limit} && exec dotnet \"$@\"");
            start.ArgumentList.Add("bash");
        }

        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "SafeMentor.Server.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(BaseAddress.ToString().TrimEnd('/'));
        start.Environment["SafeMentor__DataDirectory"] = DataDirectory;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";

        // Tests create accounts faster than any client would; tests of the limits set their own.
        start.Environment["SafeMentor__RateLimits__AnonymousPerAddressPerMinute"] = "1000000";
        start.Environment["SafeMentor__RateLimits__AnonymousPerSecond"] = "1000000";
        start.Environment["SafeMentor__RateLimits__InviteRedemptionsPerAccountPerMinute"] = "1000000";
        foreach (var (key, value) in _environment)
        {
            start.Environment[key] = value;
        }

        _process = Process.Start(start)!;
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginErrorReadLine();

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await _process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            Output.Enqueue(line);
            if (line.Contains("invite", StringComparison.Ordinal))
            {
                _invite = line[line.IndexOf("smi_", StringComparison.Ordinal)..].Trim();
            }

            if (line.Contains("Now listening", StringComparison.Ordinal))
            {
                // Keep draining the console so the server never blocks on a full pipe.
                _ = Task.Run(async () =>
                {
                    while (await _process.StandardOutput.ReadLineAsync() is { } more)
                    {
                        Output.Enqueue(more);
                    }
                });
                return;
            }
        }

        throw new InvalidOperationException("The server process exited before listening.");
    }

    /// <summary>Kills the process without any chance to flush or shut down: a crash.</summary>
    public void Kill()
    {
        _process?.Kill(entireProcessTree: true);
        _process?.WaitForExit();
        _process?.Dispose();
        _process = null;
    }

    /// <summary>Stops the process the way an operator does (SIGTERM), letting it finish its queue and close its files.</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            _ = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            process.Dispose();
            _process = null;
        }
    }

    /// <summary>The server's resident memory now (Linux), in bytes.</summary>
    public long ResidentBytes()
    {
        var status = File.ReadAllLines($"/proc/{_process!.Id}/status");
        var line = status.First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }

    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress };

    /// <summary>Real sockets: WebSockets first, with the token sent as the client library does by default.</summary>
    public void ConfigureHub(HttpConnectionOptions options)
    {
    }

    public string CoordinatorInvite() => _invite ?? throw new InvalidOperationException("The first-start invite was not printed.");

    public void Dispose()
    {
        Kill();
        if (Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }
}
