using SafeMentor.Server.Storage;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace SafeMentor.Server.Hosting;

/// <summary>
/// Serilog to the console and to a daily rolling file in the data folder. Templates are constant and carry ids
/// and counts only. The ASP.NET Core hosting diagnostics are held at Warning whatever the configuration says,
/// because at Information they print full request URLs, and the hub's URL carries the access token.
/// </summary>
internal static class LoggingExtensions
{
    public const string LogFolder = "logs";

    public const string HubDispatcherCategory = "Microsoft.AspNetCore.SignalR.Internal.DefaultHubDispatcher";

    public const string KestrelConnectionsCategory = "Microsoft.AspNetCore.Server.Kestrel.Connections";

    public static WebApplicationBuilder AddSafeMentorLogging(this WebApplicationBuilder builder)
    {
        var logFile = Path.Combine(StorageOptions.ResolveDataDirectory(builder.Configuration), LogFolder, "safementor-.log");
        builder.Services.AddSerilog(
            (services, logger) => logger
                .MinimumLevel.Information()
                .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
                .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information)
                // One Warning per connection refused at the connection limit would let a flood of connections flood the
                // logs too; Kestrel counts them in its own metrics (kestrel.rejected_connections).
                .MinimumLevel.Override(KestrelConnectionsCategory, LogEventLevel.Error)
                .ReadFrom.Configuration(builder.Configuration)
                .MinimumLevel.Override("Microsoft.AspNetCore.Hosting.Diagnostics", LogEventLevel.Warning)
                .MinimumLevel.Override("Microsoft.AspNetCore.Http.Connections", LogEventLevel.Warning)
                // It logs every refused hub call at Error with a stack trace; RelayHubFilter logs refusals at Debug and
                // real failures at Error instead.
                .MinimumLevel.Override(HubDispatcherCategory, LogEventLevel.Fatal)
                .Enrich.FromLogContext()
                .WriteTo.Console()
                .WriteTo.File(new CompactJsonFormatter(), logFile, rollingInterval: RollingInterval.Day, retainedFileCountLimit: 14),
            preserveStaticLogger: true);
        CacheLoggers(builder.Services);
        return builder;
    }

    /// <summary>
    /// Serilog's logger factory makes a new logger (with its own caches) on every call, where the framework's caches
    /// one per category. SignalR and Kestrel ask for loggers per connection, so each open connection held three
    /// loggers of its own, about 1.7 KB; this factory hands out one per category.
    /// </summary>
    private static void CacheLoggers(IServiceCollection services)
    {
        var serilog = services.Last(d => d.ServiceType == typeof(ILoggerFactory));
        services.Remove(serilog);
        services.AddSingleton<ILoggerFactory>(provider => new CachingLoggerFactory(
            serilog.ImplementationInstance as ILoggerFactory
            ?? (ILoggerFactory)serilog.ImplementationFactory!(provider)));
    }

    private sealed class CachingLoggerFactory(ILoggerFactory inner) : ILoggerFactory
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Microsoft.Extensions.Logging.ILogger> _loggers = new(StringComparer.Ordinal);

        public Microsoft.Extensions.Logging.ILogger CreateLogger(string categoryName) => _loggers.GetOrAdd(categoryName, inner.CreateLogger);

        public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

        public void Dispose() => inner.Dispose();
    }

    /// <summary>
    /// One line per request: method, path, status, time. No client address, no query string, no headers. Refusals
    /// (4xx) are expected and logged at Debug, so a flood of them cannot flood the log; <see cref="Refusals"/> counts
    /// them. Server errors are logged at Error.
    /// </summary>
    public static WebApplication UseSafeMentorRequestLogging(this WebApplication app)
    {
        app.UseSerilogRequestLogging(options =>
        {
            // The host's own logger, not the static one, so each host (and each test host) logs to its own sinks.
            options.Logger = app.Services.GetRequiredService<Serilog.ILogger>();
            options.MessageTemplate = "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0} ms";
            options.GetLevel = (context, _, error) => error is not null || context.Response.StatusCode >= 500
                ? LogEventLevel.Error
                : context.Response.StatusCode >= 400 ? LogEventLevel.Debug : LogEventLevel.Information;
        });
        return app;
    }
}
