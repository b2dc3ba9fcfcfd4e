using System.Globalization;
using SafeMentor.LoadGenerator.Hosting;

namespace SafeMentor.LoadGenerator.Scenarios;

/// <summary>What a scenario measures.</summary>
internal enum ScenarioKind
{
    /// <summary>Recipients online; each stream keeps a window of sends in flight.</summary>
    Window,

    /// <summary>Recipients online; sends scheduled at a fixed total rate.</summary>
    FixedRate,

    /// <summary>Recipients offline while the queue fills, then they connect, drain and acknowledge.</summary>
    Offline,

    /// <summary>Signed-in connections that only stay open.</summary>
    Idle,

    /// <summary>The relay stopped and started again with a full queue, which then drains.</summary>
    Restart,
}

/// <summary>
/// One scenario of the issue's list. <paramref name="Count"/> is the number of envelopes (offline, restart) or
/// connections (idle) at full size; a quick run scales it down.
/// </summary>
internal sealed record Scenario(string Name, ScenarioKind Kind, WireProtocol Protocol, int Pairs = 0, int Window = 0, int Rate = 0, int Count = 0)
{
    public string ProtocolName => Protocol == WireProtocol.Json ? "JSON" : "MessagePack";

    public string Describe(int count) => Kind switch
    {
        ScenarioKind.Window => F($"window: {Pairs} pair{(Pairs == 1 ? "" : "s")} × {Window} send{(Window == 1 ? "" : "s")} in flight in each direction, {ProtocolName}, recipients online"),
        ScenarioKind.FixedRate => F($"fixed rate: {Rate:N0} msg/s in total over {Pairs} pairs, both directions, {ProtocolName}, recipients online"),
        ScenarioKind.Offline => F($"offline: {count:N0} envelopes queued from {Pairs} mentors to offline mentees, then the mentees connect, drain and acknowledge, {ProtocolName}"),
        ScenarioKind.Idle => F($"idle: {count:N0} signed-in connections that only stay open, {ProtocolName}"),
        ScenarioKind.Restart => F($"restart: the relay stopped (SIGTERM) and started again with {count:N0} envelopes queued for {Pairs} offline mentees, who then drain, {ProtocolName}"),
        _ => Name,
    };

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
