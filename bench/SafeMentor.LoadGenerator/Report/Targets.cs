using System.Globalization;
using SafeMentor.LoadGenerator.Scenarios;

namespace SafeMentor.LoadGenerator.Report;

/// <summary>One of the issue's targets, what was measured for it, and whether it was met.</summary>
internal sealed record TargetCheck(string Target, string Measured, bool Met);

/// <summary>
/// The issue's targets, checked against the scenarios that ran. Each is a ratio within one run; a scenario that did
/// not run leaves its targets out. In a quick run the counts are smaller than the targets name.
/// </summary>
internal static class Targets
{
    public static List<TargetCheck> Evaluate(IReadOnlyList<ScenarioResult> results)
    {
        var checks = new List<TargetCheck>();
        foreach (var result in results.Where(r => r.Repeats.Count > 0))
        {
            var scenario = result.Scenario;
            var name = scenario.Name;
            if (scenario.Kind == ScenarioKind.Window && scenario.Pairs >= 10)
            {
                checks.Add(AtLeast($"{name}: msg/s ≥ 0.5 × bare hub in every repeat", Ratios(result, "delivered msg/s"), 0.5));
            }

            if (scenario.Kind == ScenarioKind.FixedRate && scenario.Rate >= 5_000)
            {
                checks.Add(AtLeast($"{name}: ≥ 99% delivered within the run", Relay(result, "delivered within the run (%)"), 99, "%"));
                checks.Add(AtMost($"{name}: p99 to receipt ≤ 2 × bare hub", Ratios(result, "p99 to receipt (ms)"), 2));
            }

            if (scenario.Kind == ScenarioKind.Offline)
            {
                checks.Add(AtLeast($"{name}: fill ≥ 0.7 × LiteDB batched insert", Ratios(result, "fill msg/s"), 0.7));
            }

            if (scenario.Kind == ScenarioKind.Offline && scenario.Count >= 100_000)
            {
                checks.Add(AtMost($"{name}: drain and ack ≤ 2 × bare hub's live push", Ratios(result, "drain and acknowledge all (s)"), 2));
                checks.Add(AtMost($"{name}: RSS after draining ≤ 1.5 × bare hub", Ratios(result, "server RSS after draining (MiB)"), 1.5));
                var small = results.FirstOrDefault(r => r.Scenario.Kind == ScenarioKind.Offline && r.Scenario.Count < 100_000
                    && r.Scenario.Protocol == scenario.Protocol && r.Repeats.Count > 0);
                if (small is not null)
                {
                    const string Cost = "server CPU per envelope, drain and ack (ms)";
                    var large = Median(Relay(result, Cost));
                    var baseline = Median(Relay(small, Cost));
                    checks.Add(AtMost($"{name}: ack cost per envelope ≤ 1.5 × that of {small.Scenario.Name} (server CPU per envelope, drain and ack)", [large / baseline], 1.5));
                }
            }

            if (scenario.Kind == ScenarioKind.Idle && scenario.Count >= 10_000)
            {
                checks.Add(AtMost($"{name}: RSS per idle connection ≤ 1.5 × bare hub", Ratios(result, "server RSS per idle connection (KiB)"), 1.5));
            }
        }

        var integrity = results.Where(r => r.Repeats.Count > 0).ToList();
        if (integrity.Count > 0)
        {
            var bad = integrity
                .Select(r => (r.Scenario.Name, Count: new[] { "lost (safe, never received)", "duplicated", "out of order" }.Sum(n => r.All(n).Sum(m => m.Relay))))
                .Where(x => x.Count > 0)
                .ToList();
            checks.Add(new TargetCheck("relay: no envelope lost, duplicated or out of order",
                bad.Count == 0 ? "0 in every scenario" : string.Join("; ", bad.Select(b => $"{b.Name}: {b.Count:N0}")), bad.Count == 0));
        }

        return checks;
    }

    private static List<double> Ratios(ScenarioResult result, string metric) => [.. result.All(metric).Select(m => m.Ratio)];

    private static List<double> Relay(ScenarioResult result, string metric) => [.. result.All(metric).Select(m => m.Relay)];

    private static double Median(List<double> values) => values.Count == 0 ? double.NaN : values.Order().ElementAt(values.Count / 2);

    private static TargetCheck AtLeast(string target, List<double> values, double goal, string unit = "")
    {
        var worst = values.Count == 0 || values.Any(double.IsNaN) ? double.NaN : values.Min();
        return new TargetCheck(target, Describe(values, "lowest", worst, unit), worst >= goal);
    }

    private static TargetCheck AtMost(string target, List<double> values, double goal)
    {
        var worst = values.Count == 0 || values.Any(double.IsNaN) ? double.NaN : values.Max();
        return new TargetCheck(target, Describe(values, "highest", worst, ""), worst <= goal);
    }

    private static string Describe(List<double> values, string which, double worst, string unit)
    {
        var all = string.Join(", ", values.Select(v => v.ToString("0.00", CultureInfo.InvariantCulture) + unit));
        return values.Count <= 1 ? all : $"{which} {worst.ToString("0.00", CultureInfo.InvariantCulture)}{unit} (repeats: {all})";
    }
}
