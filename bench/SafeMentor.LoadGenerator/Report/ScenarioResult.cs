namespace SafeMentor.LoadGenerator.Report;

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
