using SafeMentor.LoadGenerator.Hosting;
using SafeMentor.LoadGenerator.Report;
using SafeMentor.LoadGenerator.Scenarios;

namespace SafeMentor.LoadGenerator.Tests.Report;

public class TargetsTests
{
    private static readonly Scenario s_window = new("online-10x16-json", ScenarioKind.Window, WireProtocol.Json, Pairs: 10, Window: 16);

    [Fact]
    public void Evaluate_OneRepeatBelowHalfTheBareHub_IsNotMet()
    {
        var result = WithRepeats(s_window, [Throughput(900, 1000), Throughput(400, 1000), Throughput(800, 1000)]);

        var check = Targets.Evaluate([result]).Single(c => c.Target.StartsWith("online-10x16-json", StringComparison.Ordinal));

        Assert.False(check.Met);
        Assert.Contains("lowest 0.40", check.Measured, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_EveryRepeatAboveHalf_IsMet()
    {
        var result = WithRepeats(s_window, [Throughput(600, 1000), Throughput(510, 1000)]);

        Assert.All(Targets.Evaluate([result]), c => Assert.True(c.Met));
    }

    [Fact]
    public void Evaluate_ALostEnvelope_FailsTheIntegrityTarget()
    {
        var result = WithRepeats(s_window, [[.. Throughput(600, 1000), Metric.Count("lost (safe, never received)", 1, 0)]]);

        var integrity = Targets.Evaluate([result]).Single(c => c.Target.StartsWith("relay: no envelope", StringComparison.Ordinal));

        Assert.False(integrity.Met);
        Assert.Contains("online-10x16-json: 1", integrity.Measured, StringComparison.Ordinal);
    }

    private static List<Metric> Throughput(double relay, double bare) => [new("delivered msg/s", relay, bare, "N0")];

    private static ScenarioResult WithRepeats(Scenario scenario, List<List<Metric>> repeats)
    {
        var result = new ScenarioResult(scenario, "test");
        result.Repeats.AddRange(repeats);
        return result;
    }
}
