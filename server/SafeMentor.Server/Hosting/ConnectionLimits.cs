using System.ComponentModel.DataAnnotations;
using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace SafeMentor.Server.Hosting;

/// <summary>Connection limits and timeouts of the HTTP server; unset limits are derived from the descriptor limit.</summary>
internal sealed class ConnectionLimitOptions
{
    public const string SectionName = "SafeMentor:Connections";

    /// <summary>HTTP connections at once (WebSockets not counted); derived when unset.</summary>
    [Range(1, 10_000_000, ErrorMessage = "SafeMentor:Connections:MaxConcurrent must be between 1 and 10000000.")]
    public int? MaxConcurrent { get; set; }

    /// <summary>Upgraded (WebSocket) connections at once; derived when unset.</summary>
    [Range(1, 10_000_000, ErrorMessage = "SafeMentor:Connections:MaxUpgraded must be between 1 and 10000000.")]
    public int? MaxUpgraded { get; set; }

    /// <summary>How long an idle keep-alive connection is kept.</summary>
    [Range(1, 3600, ErrorMessage = "SafeMentor:Connections:KeepAliveSeconds must be between 1 and 3600.")]
    public int KeepAliveSeconds { get; set; } = 20;

    /// <summary>How long a client may take to send a request's headers.</summary>
    [Range(1, 600, ErrorMessage = "SafeMentor:Connections:RequestHeadersSeconds must be between 1 and 600.")]
    public int RequestHeadersSeconds { get; set; } = 10;

    /// <summary>
    /// Addresses (or networks, <c>10.0.0.0/8</c>) of reverse proxies whose <c>X-Forwarded-For</c> names the client, for
    /// the per-address rate limits. Empty: the connection's own address is the client's.
    /// </summary>
    public string[] TrustedProxies { get; set; } = [];
}

/// <summary>
/// The limits in force, worked out once at start. Without limits, enough idle connections use up the process's file
/// descriptors and the runtime aborts; so Kestrel's connection limits are kept below the descriptor limit, minus what
/// is open at start and a headroom (<see cref="Headroom"/>) for files, the database, logs, assemblies loaded later and
/// the runtime's own needs. Configured limits that would not fit stop the server at start.
/// </summary>
internal sealed record ConnectionLimits(long? DescriptorLimit, int? OpenAtStart, int MaxConcurrent, int MaxUpgraded)
{
    /// <summary>Where the descriptor limit is unknown (Windows), the limits used unless configured.</summary>
    public const int DefaultWithoutDescriptorLimit = 10_000;

    /// <summary>Descriptors kept free beyond those open at start: an eighth of the limit, and at least 256.</summary>
    public static long Headroom(long descriptorLimit) => Math.Max(256, descriptorLimit / 8);

    /// <summary>Descriptors available for connections, or null when the limit is unknown.</summary>
    public static long? Available(long? descriptorLimit, int? openAtStart)
        => descriptorLimit is { } limit ? Math.Max(0, limit - (openAtStart ?? 0) - Headroom(limit)) : null;

    public static ConnectionLimits Compute(ConnectionLimitOptions options, long? descriptorLimit, int? openAtStart)
    {
        var available = Available(descriptorLimit, openAtStart);
        var cap = (int)Math.Min(available ?? 2L * DefaultWithoutDescriptorLimit, int.MaxValue);

        // WebSockets are most of a relay's connections; plain HTTP needs fewer at once, but some for every client's calls.
        var upgraded = options.MaxUpgraded ?? Math.Max(1, Math.Min(cap * 3 / 4, cap - (options.MaxConcurrent ?? 0)));
        var concurrent = options.MaxConcurrent ?? Math.Max(1, cap - upgraded);
        return new ConnectionLimits(descriptorLimit, openAtStart, concurrent, upgraded);
    }
}

internal static partial class ConnectionLimitsExtensions
{
    public static WebApplicationBuilder AddConnectionLimits(this WebApplicationBuilder builder)
    {
        var descriptorLimit = FileDescriptors.RaiseSoftLimit();
        builder.Services.AddOptions<ConnectionLimitOptions>()
            .BindConfiguration(ConnectionLimitOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(
                options => Fits(options, descriptorLimit),
                "SafeMentor:Connections:MaxConcurrent plus SafeMentor:Connections:MaxUpgraded must leave room below the process's file descriptor limit (see docs/operations.md); raise the limit (ulimit -n) or lower them.")
            .Validate(options => options.TrustedProxies.All(IsAddressOrNetwork), "SafeMentor:Connections:TrustedProxies must list IP addresses or networks (10.0.0.0/8).")
            .ValidateOnStart();
        builder.Services.AddSingleton(services => ConnectionLimits.Compute(
            services.GetRequiredService<IOptions<ConnectionLimitOptions>>().Value, descriptorLimit, FileDescriptors.OpenNow()));
        builder.Services.AddOptions<KestrelServerOptions>().Configure<ConnectionLimits, IOptions<ConnectionLimitOptions>>((kestrel, limits, options) =>
        {
            kestrel.Limits.MaxConcurrentConnections = limits.MaxConcurrent;
            kestrel.Limits.MaxConcurrentUpgradedConnections = limits.MaxUpgraded;
            kestrel.Limits.KeepAliveTimeout = TimeSpan.FromSeconds(options.Value.KeepAliveSeconds);
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(options.Value.RequestHeadersSeconds);
        });
        builder.Services.AddHostedService<ConnectionLimitsReport>();
        builder.Services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ConnectionLimitOptions>>((forwarded, options) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor;
            forwarded.ForwardLimit = 1;
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var proxy in options.Value.TrustedProxies)
            {
                if (proxy.Contains('/', StringComparison.Ordinal))
                {
                    forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(proxy));
                }
                else
                {
                    forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
                }
            }
        });
        return builder;
    }

    /// <summary>When trusted proxies are configured: the client address is the one they forward.</summary>
    public static WebApplication UseTrustedProxies(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<ConnectionLimitOptions>>().Value.TrustedProxies.Length > 0)
        {
            app.UseForwardedHeaders();
        }

        return app;
    }

    private static bool Fits(ConnectionLimitOptions options, long? descriptorLimit)
        => ConnectionLimits.Available(descriptorLimit, FileDescriptors.OpenNow()) is not { } available
            || (long)(options.MaxConcurrent ?? 1) + (options.MaxUpgraded ?? 1) <= available;

    private static bool IsAddressOrNetwork(string value)
        => IPAddress.TryParse(value, out _) || System.Net.IPNetwork.TryParse(value, out _);

    /// <summary>Logs the limits in force once, at start.</summary>
    private sealed partial class ConnectionLimitsReport(ConnectionLimits limits, ILogger<ConnectionLimitsReport> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            LogLimits(logger, limits.MaxConcurrent, limits.MaxUpgraded, limits.DescriptorLimit, limits.OpenAtStart);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        [LoggerMessage(Level = LogLevel.Information, Message = "Connection limits: {MaxConcurrent} HTTP connections and {MaxUpgraded} WebSocket connections at once, for a file descriptor limit of {DescriptorLimit} ({OpenAtStart} open at start)")]
        private static partial void LogLimits(ILogger logger, int maxConcurrent, int maxUpgraded, long? descriptorLimit, int? openAtStart);
    }
}
