using System.Globalization;
using System.Text;

namespace SafeMentor.LoadGenerator.Report;

/// <summary>
/// The report: a table per scenario with the relay's figure, its baseline's (the bare hub unless named), and their
/// ratio; then the issue's targets, each with the ratio measured and whether it was met. With several repeats a
/// cell reads "median (min–max)", and the ratio is taken within each repeat before the median is.
/// </summary>
internal static class MarkdownReport
{
    public static string Header(LoadOptions options, string commandLine)
    {
        var text = new StringBuilder();
        text.AppendLine("# SafeMentor relay load test");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"- command: `{commandLine}`");
        text.AppendLine(CultureInfo.InvariantCulture, $"- machine: {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}");
        var quick = options.Quick ? $"; quick: envelope and connection counts divided by {LoadOptions.QuickDivisor}, one relay and one bare hub for every scenario (a smoke check, not a measurement)" : "";
        text.AppendLine(CultureInfo.InvariantCulture, $"- runs: {options.Duration.TotalSeconds:0.#} s measured after {options.Warmup.TotalSeconds:0.#} s of warm-up, {options.Repeat} repeat(s), {options.CiphertextSize} B ciphertext{quick}");
        text.AppendLine("- every ratio is relay ÷ baseline, measured in the same run; the baseline is the bare hub (the same hub methods forwarding the same bytes with no checks and no storage) unless the row names another");
        text.AppendLine("- msg/s and fill rates: higher is better, a ratio of 1 means as fast as the baseline; latencies, CPU, memory and times: lower is better, a ratio of 2 means twice the baseline");
        return text.ToString();
    }

    public static string Scenario(ScenarioResult result, LoadOptions options)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"## {result.Scenario.Name}");
        text.AppendLine();
        text.AppendLine(result.Description + ".");
        text.AppendLine();
        if (result.Settings.Count > 0)
        {
            text.AppendLine("The bench raises these relay settings for this run: "
                + string.Join(", ", result.Settings.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"`{s.Key}={s.Value}`")) + ".");
            text.AppendLine();
        }

        if (result.Repeats.Count > 0)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| metric | relay | bare hub | ratio |");
            text.AppendLine("| --- | ---: | ---: | ---: |");
            foreach (var name in result.Repeats[0].Select(m => m.Name))
            {
                var metrics = result.All(name).ToList();
                var first = metrics[0];
                var label = first.BaselineName is null ? name : $"{name} [baseline: {first.BaselineName}]";
                if (first.IsCount)
                {
                    text.AppendLine(CultureInfo.InvariantCulture, $"| {label} | {metrics.Sum(m => m.Relay):N0} | {Count(metrics.Select(m => m.Baseline))} | |");
                    continue;
                }

                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| {label} | {Cell(metrics.Select(m => m.Relay), first.Format)} | {Cell(metrics.Select(m => m.Baseline), first.Format)} | {Cell(metrics.Select(m => m.Ratio), "0.00")} |");
            }

            text.AppendLine();
        }

        if (result.Failure is not null)
        {
            text.AppendLine("**Did not complete:** " + result.Failure);
            text.AppendLine();
        }

        foreach (var note in result.Notes.Distinct())
        {
            text.AppendLine("- " + note);
        }

        if (result.Notes.Count > 0)
        {
            text.AppendLine();
        }

        return text.ToString();
    }

    public static string Targets(IReadOnlyList<TargetCheck> checks)
    {
        var text = new StringBuilder();
        text.AppendLine("## Targets");
        text.AppendLine();
        if (checks.Count == 0)
        {
            text.AppendLine("No scenario that a target is named for ran.");
            return text.ToString();
        }

        text.AppendLine("| target | measured | met |");
        text.AppendLine("| --- | --- | --- |");
        foreach (var check in checks)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {check.Target} | {check.Measured} | {(check.Met ? "yes" : "**no**")} |");
        }

        text.AppendLine();
        return text.ToString();
    }

    public static string Cell(IEnumerable<double> values, string format)
    {
        var list = values.Where(v => !double.IsNaN(v)).Order().ToList();
        if (list.Count == 0)
        {
            return "–";
        }

        var median = list.Count % 2 == 1 ? list[list.Count / 2] : (list[(list.Count / 2) - 1] + list[list.Count / 2]) / 2;
        var text = median.ToString(format, CultureInfo.InvariantCulture);
        return list.Count == 1 ? text : $"{text} ({list[0].ToString(format, CultureInfo.InvariantCulture)}–{list[^1].ToString(format, CultureInfo.InvariantCulture)})";
    }

    private static string Count(IEnumerable<double> values)
    {
        var list = values.Where(v => !double.IsNaN(v)).ToList();
        return list.Count == 0 ? "–" : list.Sum().ToString("N0", CultureInfo.InvariantCulture);
    }
}
