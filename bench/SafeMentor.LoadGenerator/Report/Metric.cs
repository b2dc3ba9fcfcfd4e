namespace SafeMentor.LoadGenerator.Report;

/// <summary>
/// One figure of one repeat, for the relay and for its baseline (the bare hub unless <see cref="BaselineName"/> names
/// another). NaN means "not measured". Counts (lost, duplicated, ...) are summed over repeats and never divided.
/// </summary>
internal sealed record Metric(string Name, double Relay, double Baseline, string Format, string? BaselineName = null, bool IsCount = false)
{
    public double Ratio => Baseline > 0 && !double.IsNaN(Relay) ? Relay / Baseline : double.NaN;

    public static Metric Count(string name, long relay, long baseline) => new(name, relay, baseline, "N0", IsCount: true);
}
