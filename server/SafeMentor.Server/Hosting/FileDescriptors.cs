using System.Runtime.InteropServices;

namespace SafeMentor.Server.Hosting;

/// <summary>
/// The process's limit on open file descriptors (<c>RLIMIT_NOFILE</c>) on Linux and macOS. Every connection, file and
/// mapped assembly holds one, and so does the runtime's double mapping of JIT code: a process that runs out of them
/// does not fail one request, it aborts. The server raises its soft limit to the hard limit where it may, and keeps
/// its connection limits below what is left (<see cref="ConnectionLimits"/>).
/// </summary>
internal static partial class FileDescriptors
{
    /// <summary>The soft limit after raising it to the hard limit where allowed; null where there is no such limit.</summary>
    public static long? RaiseSoftLimit()
    {
        var resource = Resource();
        if (resource is null || GetRLimit(resource.Value, out var limit) != 0)
        {
            return null;
        }

        if (limit.Current < limit.Maximum)
        {
            var raised = limit with { Current = limit.Maximum };
            if (OperatingSystem.IsMacOS())
            {
                // macOS refuses a soft limit above OPEN_MAX even when the hard limit is "unlimited".
                raised = raised with { Current = Math.Min(raised.Current, 10240UL) };
            }

            if (SetRLimit(resource.Value, in raised) == 0)
            {
                limit = raised;
            }
        }

        return limit.Current >= long.MaxValue ? long.MaxValue : (long)limit.Current;
    }

    /// <summary>Descriptors open now (Linux and macOS), or null where they cannot be counted.</summary>
    public static int? OpenNow()
    {
        var folder = OperatingSystem.IsLinux() ? "/proc/self/fd" : OperatingSystem.IsMacOS() ? "/dev/fd" : null;
        if (folder is null)
        {
            return null;
        }

        try
        {
            return Directory.EnumerateFileSystemEntries(folder).Count();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static int? Resource() => OperatingSystem.IsLinux() ? 7 : OperatingSystem.IsMacOS() ? 8 : null;

    [LibraryImport("libc", EntryPoint = "getrlimit", SetLastError = true)]
    private static partial int GetRLimit(int resource, out RLimit limit);

    [LibraryImport("libc", EntryPoint = "setrlimit", SetLastError = true)]
    private static partial int SetRLimit(int resource, in RLimit limit);

    [StructLayout(LayoutKind.Sequential)]
    private readonly record struct RLimit(ulong Current, ulong Maximum);
}
