using System.Diagnostics;
using System.Globalization;

namespace SafeMentor.LoadGenerator.Hosting;

/// <summary>A process's CPU time (user + system) and resident set size at one moment.</summary>
internal readonly record struct ProcessSample(TimeSpan Cpu, long RssBytes, long Timestamp)
{
    public double CpuMsSince(ProcessSample earlier) => (Cpu - earlier.Cpu).TotalMilliseconds;
}

/// <summary>
/// Reads a process's figures from <c>/proc</c>: utime + stime from <c>/proc/PID/stat</c> (in clock ticks) and
/// VmRSS from <c>/proc/PID/status</c>. Linux only, which is where the bench runs.
/// </summary>
internal static class ProcessStats
{
    private static readonly Lazy<long> s_ticksPerSecond = new(ReadTicksPerSecond);

    public static ProcessSample Sample(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");

        // The command name is in parentheses and may contain spaces; fields are counted after its closing one.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        var cpu = TimeSpan.FromSeconds((double)ticks / s_ticksPerSecond.Value);

        long rssKb = 0;
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rssKb = long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                break;
            }
        }

        return new ProcessSample(cpu, rssKb * 1024, Stopwatch.GetTimestamp());
    }

    public static ProcessSample Self() => Sample(Environment.ProcessId);

    /// <summary>This process's soft limit on open files (from <c>/proc/self/limits</c>), or null if unlimited or unknown.</summary>
    public static long? OpenFilesLimit()
    {
        foreach (var line in File.ReadLines("/proc/self/limits"))
        {
            if (line.StartsWith("Max open files", StringComparison.Ordinal))
            {
                var soft = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
                return long.TryParse(soft, CultureInfo.InvariantCulture, out var value) ? value : null;
            }
        }

        return null;
    }

    private static long ReadTicksPerSecond()
    {
        try
        {
            using var getconf = Process.Start(new ProcessStartInfo("getconf", "CLK_TCK") { RedirectStandardOutput = true })!;
            var text = getconf.StandardOutput.ReadToEnd().Trim();
            getconf.WaitForExit();
            return long.TryParse(text, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : 100;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // USER_HZ is 100 on every mainstream Linux build.
            return 100;
        }
    }
}
