using SafeMentor.LoadGenerator.Hosting;

namespace SafeMentor.LoadGenerator.Scenarios;

/// <summary>Every scenario the load generator knows, in the order it runs them.</summary>
internal static class ScenarioCatalog
{
    public static IReadOnlyList<Scenario> All { get; } = Build();

    /// <summary>Scenarios whose name matches one of <paramref name="patterns"/> (<c>*</c> is a wildcard; a bare word matches any part).</summary>
    public static IReadOnlyList<Scenario> Select(IReadOnlyCollection<string> patterns)
        => patterns.Count == 0 ? All : [.. All.Where(s => patterns.Any(p => Matches(s.Name, p)))];

    private static bool Matches(string name, string pattern)
        => pattern.Contains('*', StringComparison.Ordinal)
            ? System.IO.Enumeration.FileSystemName.MatchesSimpleExpression(pattern, name)
            : name.Contains(pattern, StringComparison.OrdinalIgnoreCase);

    private static List<Scenario> Build()
    {
        var list = new List<Scenario>();
        foreach (var protocol in new[] { WireProtocol.Json, WireProtocol.MessagePack })
        {
            var suffix = Suffix(protocol);
            list.Add(new Scenario($"online-1x1-{suffix}", ScenarioKind.Window, protocol, Pairs: 1, Window: 1));
            list.Add(new Scenario($"online-10x16-{suffix}", ScenarioKind.Window, protocol, Pairs: 10, Window: 16));
            list.Add(new Scenario($"online-100x4-{suffix}", ScenarioKind.Window, protocol, Pairs: 100, Window: 4));
            list.Add(new Scenario($"rate-1000-{suffix}", ScenarioKind.FixedRate, protocol, Pairs: 100, Rate: 1_000));
            list.Add(new Scenario($"rate-5000-{suffix}", ScenarioKind.FixedRate, protocol, Pairs: 100, Rate: 5_000));
        }

        foreach (var protocol in new[] { WireProtocol.Json, WireProtocol.MessagePack })
        {
            var suffix = Suffix(protocol);
            list.Add(new Scenario($"offline-10000-{suffix}", ScenarioKind.Offline, protocol, Pairs: 100, Window: 16, Count: 10_000));
            list.Add(new Scenario($"offline-100000-{suffix}", ScenarioKind.Offline, protocol, Pairs: 100, Window: 16, Count: 100_000));
        }

        list.Add(new Scenario("idle-1000", ScenarioKind.Idle, WireProtocol.Json, Count: 1_000));
        list.Add(new Scenario("idle-10000", ScenarioKind.Idle, WireProtocol.Json, Count: 10_000));
        list.Add(new Scenario("restart-100000", ScenarioKind.Restart, WireProtocol.MessagePack, Pairs: 100, Window: 16, Count: 100_000));
        return list;
    }

    private static string Suffix(WireProtocol protocol) => protocol == WireProtocol.Json ? "json" : "msgpack";
}
