using System.Diagnostics;
using SafeMentor.Cli.Tests.Infrastructure;
using SafeMentor.Client.Exports;
using SafeMentor.Client.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SafeMentor.Cli.Tests;

/// <summary>
/// The README's quickstart, run as written by bash against a test relay, with <c>safementor</c> on the PATH as the
/// built terminal client. Only what a reader supplies is given: the server's coordinator invite, the server's
/// address, and (to keep the test fast) cheaper key-derivation parameters for the new stores.
/// </summary>
public sealed class QuickstartTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Readme_Quickstart_RunsAsWrittenAndTheExportVerifies()
    {
        var root = CliRunner.RepositoryRoot();
        var readme = await File.ReadAllTextAsync(Path.Combine(root, "README.md"));
        var start = readme.IndexOf("<!-- quickstart:begin -->", StringComparison.Ordinal);
        var end = readme.IndexOf("<!-- quickstart:end -->", StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, "README.md has no quickstart block");
        var block = readme[start..end];
        var script = block[(block.IndexOf("```bash\n", StringComparison.Ordinal) + "```bash\n".Length)..block.LastIndexOf("```", StringComparison.Ordinal)];

        await using var server = RelayServer.Start();
        var folder = CliRunner.NewFolder();
        var bin = Path.Combine(folder, "bin");
        Directory.CreateDirectory(bin);
        var shim = Path.Combine(bin, "safementor");
        await File.WriteAllTextAsync(shim, $"#!/bin/sh\nexec dotnet \"{CliDll(root)}\" \"$@\"\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(shim, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        var work = Path.Combine(folder, "walkthrough");
        Directory.CreateDirectory(work);
        await File.WriteAllTextAsync(Path.Combine(folder, "quickstart.sh"), "set -euo pipefail\n" + script);

        var bashStart = new ProcessStartInfo("bash") { WorkingDirectory = work, RedirectStandardOutput = true, RedirectStandardError = true };
        bashStart.ArgumentList.Add(Path.Combine(folder, "quickstart.sh"));
        bashStart.Environment["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH");
        bashStart.Environment["COORDINATOR_INVITE"] = server.CoordinatorInvite();
        bashStart.Environment["SAFEMENTOR_SERVER"] = server.Url.ToString();
        bashStart.Environment["SAFEMENTOR_KDF_MEMORY_KIB"] = "1024";
        bashStart.Environment["SAFEMENTOR_KDF_ITERATIONS"] = "1";
        bashStart.Environment["NO_COLOR"] = "1";
        using var bash = Process.Start(bashStart)!;
        var stdout = bash.StandardOutput.ReadToEndAsync();
        var stderr = bash.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(6));
        try
        {
            await bash.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!bash.HasExited)
            {
                bash.Kill(entireProcessTree: true);
            }
        }

        output.WriteLine(await stdout);
        output.WriteLine(await stderr);

        Assert.True(bash.ExitCode == 0, $"The quickstart failed (exit {bash.ExitCode}):\n{await stdout}\n{await stderr}");
        Assert.Contains("Valid.", await stdout, StringComparison.Ordinal);
        var record = await File.ReadAllTextAsync(Path.Combine(work, "session-record.json"));
        var verification = ExportVerifier.Verify(record);
        Assert.True(verification.IsValid);
        Assert.Equal(["Can we talk about my first rotation?", "Of course. How did the first week go?"], verification.Record!.Messages.Select(m => m.Text));
        Assert.Contains("Can we talk about my first rotation?", await File.ReadAllTextAsync(Path.Combine(work, "session-record.md")), StringComparison.Ordinal);
    }

    private static string CliDll(string root)
    {
        // The terminal client as built for this test run, in the same configuration.
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        return Path.Combine(root, "client-sdk", "SafeMentor.Cli", "bin", configuration, "net10.0", "safementor.dll");
    }
}
