namespace SafeMentor.LoadGenerator;

/// <summary>The load generator's settings, from the command line.</summary>
internal sealed record LoadOptions
{
    public required string ServerDll { get; init; }

    public IReadOnlyList<string> Scenarios { get; init; } = [];

    /// <summary>Length of each measured window-mode and fixed-rate run.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Unmeasured load before the first repeat of each scenario on each server (JIT, connection pools).</summary>
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long idle connections are held while their CPU cost is measured.</summary>
    public TimeSpan IdleHold { get; init; } = TimeSpan.FromSeconds(5);

    public int Repeat { get; init; } = 1;

    /// <summary>Scales envelope and connection counts down (by <see cref="QuickDivisor"/>) and shortens every phase.</summary>
    public bool Quick { get; init; }

    public int CiphertextSize { get; init; } = 1024;

    public string? OutputFile { get; init; }

    /// <summary>Pairs used by the offline and restart scenarios (0: the scenario's own).</summary>
    public int OfflinePairs { get; init; }

    /// <summary>Idle connections opened per account (the relay's per-account cap is raised to this).</summary>
    public int IdleConnectionsPerAccount { get; init; } = 100;

    /// <summary>The bare hub's <c>MaximumParallelInvocationsPerClient</c>; the relay's own setting is passed the same value.</summary>
    public int ParallelInvocations { get; init; } = 32;

    /// <summary>Connections opened at once.</summary>
    public int ConnectParallelism { get; init; } = 64;

    /// <summary>Extra or overriding relay settings (environment variables), applied last.</summary>
    public IReadOnlyDictionary<string, string> RelaySettings { get; init; } = new Dictionary<string, string>();

    public const int QuickDivisor = 10;

    public int Scale(int count) => Quick ? Math.Max(1, count / QuickDivisor) : count;
}
