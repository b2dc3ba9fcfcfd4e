namespace SafeMentor.LoadGenerator.Load;

/// <summary>Latencies in <see cref="System.Diagnostics.Stopwatch"/> ticks, and their percentiles in milliseconds.</summary>
internal sealed class LatencyList
{
    private long[] _values = new long[1024];

    public int Count { get; private set; }

    public void Add(long ticks)
    {
        if (Count == _values.Length)
        {
            Array.Resize(ref _values, _values.Length * 2);
        }

        _values[Count++] = ticks;
    }

    public static Percentiles Merge(IEnumerable<LatencyList> lists)
    {
        var all = new List<long>();
        foreach (var list in lists)
        {
            all.AddRange(list._values.AsSpan(0, list.Count));
        }

        if (all.Count == 0)
        {
            return Percentiles.None;
        }

        all.Sort();
        return new Percentiles(At(all, 0.50), At(all, 0.90), At(all, 0.99), At(all, 0.999), all.Count);
    }

    private static double At(List<long> sorted, double quantile)
    {
        var index = Math.Clamp((int)Math.Ceiling(quantile * sorted.Count) - 1, 0, sorted.Count - 1);
        return sorted[index] * 1000.0 / System.Diagnostics.Stopwatch.Frequency;
    }
}

/// <summary>Latency percentiles in milliseconds over <paramref name="Count"/> samples.</summary>
internal sealed record Percentiles(double P50, double P90, double P99, double P999, int Count)
{
    public static readonly Percentiles None = new(double.NaN, double.NaN, double.NaN, double.NaN, 0);
}
