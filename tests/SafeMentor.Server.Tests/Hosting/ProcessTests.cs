using System.Diagnostics;
using System.Text;

namespace SafeMentor.Server.Tests.Hosting;

/// <summary>The server as a real process: start-up refusals and the invite command.</summary>
public sealed class ProcessTests : IDisposable
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "safementor-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Start_InvalidSetting_ExitsWithMessageNamingTheSetting()
    {
        var (exitCode, output, error) = await RunServerAsync(
            ["--urls", "http://127.0.0.1:0"],
            ("SafeMentor__Auth__AccessTokenMinutes", "0"));

        Assert.NotEqual(0, exitCode);
        Assert.Contains("SafeMentor:Auth:AccessTokenMinutes", error + output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InviteCommand_CoordinatorRole_PrintsSingleUseInvite()
    {
        var (exitCode, output, _) = await RunServerAsync(["invite", "--role", "coordinator"]);

        Assert.Equal(0, exitCode);
        var line = Assert.Single(output.Split('\n'), l => l.Contains("invite", StringComparison.Ordinal));
        Assert.Contains("smi_", line, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_dataDirectory, "safementor.db")));
    }

    [Fact]
    public async Task FirstStart_FreshDataFolder_PrintsInviteOnConsoleButNotInLogs()
    {
        var start = StartInfo(["--urls", "http://127.0.0.1:0"]);
        using var process = Process.Start(start)!;
        string? inviteLine = null;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                if (line.Contains("invite", StringComparison.Ordinal))
                {
                    inviteLine = line;
                }

                if (line.Contains("Now listening", StringComparison.Ordinal))
                {
                    break;
                }
            }
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        Assert.NotNull(inviteLine);
        var code = inviteLine[inviteLine.IndexOf("smi_", StringComparison.Ordinal)..].Trim();
        var logs = string.Concat(Directory.GetFiles(Path.Combine(_dataDirectory, "logs")).Select(File.ReadAllText));
        Assert.Contains("Now listening", logs, StringComparison.Ordinal);
        Assert.DoesNotContain(code, logs, StringComparison.Ordinal);
        Assert.DoesNotContain(code, Encoding.UTF8.GetString(await File.ReadAllBytesAsync(Path.Combine(_dataDirectory, "safementor.db"))), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DataFolder_InUseByRunningServer_InviteCommandAndSecondServerRefuse()
    {
        using var running = await Infrastructure.ServerProcess.StartAsync();

        var (inviteExit, _, inviteError) = await RunServerAsync(["invite", "--role", "coordinator"], ("SafeMentor__DataDirectory", running.DataDirectory));
        var (serverExit, _, serverError) = await RunServerAsync(["--urls", "http://127.0.0.1:0"], ("SafeMentor__DataDirectory", running.DataDirectory));

        Assert.Equal(1, inviteExit);
        Assert.Contains("SafeMentor:DataDirectory", inviteError, StringComparison.Ordinal);
        Assert.Contains("in use", inviteError, StringComparison.Ordinal);
        Assert.Equal(1, serverExit);
        Assert.Contains("Storage error", serverError, StringComparison.Ordinal);
        using var client = running.CreateClient();
        Assert.True((await client.GetAsync("/healthz")).IsSuccessStatusCode);
    }

    [Fact]
    public async Task InviteCommand_UnknownRole_ExitsWithUsage()
    {
        var (exitCode, _, error) = await RunServerAsync(["invite", "--role", "emperor"]);

        Assert.Equal(2, exitCode);
        Assert.Contains("Usage", error, StringComparison.Ordinal);
    }

    private async Task<(int ExitCode, string Output, string Error)> RunServerAsync(string[] args, params (string Key, string Value)[] environment)
    {
        using var process = Process.Start(StartInfo(args, environment))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await output, await error);
    }

    private ProcessStartInfo StartInfo(string[] args, params (string Key, string Value)[] environment)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "SafeMentor.Server.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["SafeMentor__DataDirectory"] = _dataDirectory;
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return start;
    }

    public void Dispose()
    {
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }
}
