namespace SafeMentor.LoadGenerator.Report;

/// <summary>Which way a figure is good.</summary>
internal enum Better
{
    Higher,
    Lower,
}

/// <summary>
/// One figure of one repeat, for the relay and for its baseline (the bare hub unless <see cref="BaselineName"/> names
/// another). NaN means "not measured". Counts (lost, duplicated, ...) are summed over repeats and never divided.
/// </summary>
internal sealed record Metric(string Name, double Relay, double Baseline, Better Better, string Format, string? BaselineName = null, bool IsCount = false)
{
    public double Ratio => Baseline > 0 && !double.IsNaN(Relay) ? Relay / Baseline : double.NaN;

    public static Metric Count(string name, long relay, long baseline) => new(name, relay, baseline, Better.Lower, "N0", IsCount: true);
}

/// <summary>A scenario's outcome: the figures of each repeat, the settings raised, and anything worth a note.</summary>
internal sealed class ScenarioResult(Scenarios.Scenario scenario, string description)
{
    public Scenarios.Scenario Scenario { get; } = scenario;

    public string Description { get; } = description;

    public List<IReadOnlyList<Metric>> Repeats { get; } = [];

    public IReadOnlyDictionary<string, string> Settings { get; set; } = new Dictionary<string, string>();

    public List<string> Notes { get; } = [];

    public string? Failure { get; set; }

    public IEnumerable<Metric> All(string name) => Repeats.SelectMany(r => r).Where(m => m.Name == name);
}
