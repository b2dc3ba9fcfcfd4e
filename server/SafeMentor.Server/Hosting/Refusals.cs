using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace SafeMentor.Server.Hosting;

/// <summary>
/// Counts refusals (problem answers and refused hub calls) by source and code. Refusals are expected and logged at
/// Debug only, so that a flood of them cannot drown real errors or fill the disk; this is how operators see their rate:
/// the <c>safementor.refusals</c> counter of the <c>SafeMentor.Server</c> meter (for example with
/// <c>dotnet-counters monitor -n SafeMentor.Server --counters SafeMentor.Server</c>), and one summary line a minute.
/// </summary>
internal sealed class Refusals
{
    public const string MeterName = "SafeMentor.Server";

    private readonly Counter<long> _counter;
    private readonly ConcurrentDictionary<(string Source, string Code), long> _sinceSummary = new();

    public Refusals(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _counter = meter.CreateCounter<long>("safementor.refusals", unit: "{refusal}", description: "Requests and hub calls refused, by source (http, hub) and error code.");
    }

    public void Count(string source, string code)
    {
        _counter.Add(1, new KeyValuePair<string, object?>("source", source), new KeyValuePair<string, object?>("code", code));
        _sinceSummary.AddOrUpdate((source, code), 1, (_, count) => count + 1);
    }

    /// <summary>What was counted since the last call, and resets it.</summary>
    public IReadOnlyList<(string Source, string Code, long Count)> TakeSummary()
    {
        var taken = new List<(string, string, long)>();
        foreach (var key in _sinceSummary.Keys)
        {
            if (_sinceSummary.TryRemove(key, out var count))
            {
                taken.Add((key.Source, key.Code, count));
            }
        }

        return [.. taken.OrderByDescending(t => t.Item3)];
    }
}

/// <summary>Once a minute, when anything was refused: one Information line with the counts by source and code.</summary>
internal sealed partial class RefusalSummary(Refusals refusals, ILogger<RefusalSummary> logger) : BackgroundService
{
    private static readonly TimeSpan s_period = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(s_period);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                var summary = refusals.TakeSummary();
                if (summary.Count > 0)
                {
                    var total = summary.Sum(s => s.Count);
                    var breakdown = string.Join(", ", summary.Select(s => $"{s.Source} {s.Code} {s.Count}"));
                    LogSummary(logger, total, breakdown);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused {Total} requests and hub calls in the last minute: {Breakdown}")]
    private static partial void LogSummary(ILogger logger, long total, string breakdown);
}
