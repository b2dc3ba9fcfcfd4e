using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using SafeMentor.Contracts;
using SafeMentor.Server.Accounts;
using SafeMentor.Server.Storage;

namespace SafeMentor.Server.Tests.Infrastructure;

/// <summary>
/// A whole server with its own temporary data folder and a manual clock. Rate limits are generous unless a test sets
/// them (tests create accounts faster than any client would); a request may name the client address it comes from
/// with <see cref="RemoteAddressHeader"/>, which the in-memory server otherwise leaves empty.
/// </summary>
public sealed class ServerFactory : WebApplicationFactory<Program>, IRelayHost
{
    public const string RemoteAddressHeader = "X-Test-Remote-Address";

    private static readonly Dictionary<string, string?> s_generousLimits = new()
    {
        ["SafeMentor:RateLimits:AnonymousPerAddressPerMinute"] = "1000000",
        ["SafeMentor:RateLimits:AnonymousPerSecond"] = "1000000",
        ["SafeMentor:RateLimits:InviteRedemptionsPerAccountPerMinute"] = "1000000",
    };

    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _configureServices;

    public ServerFactory(IDictionary<string, string?>? settings = null, Action<IServiceCollection>? configureServices = null)
    {
        _configureServices = configureServices;
        DataDirectory = Path.Combine(Path.GetTempPath(), "safementor-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(DataDirectory);
        _settings = new Dictionary<string, string?>(s_generousLimits);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }

        _settings["SafeMentor:DataDirectory"] = DataDirectory;
    }

    public string DataDirectory { get; }

    /// <summary>What the storage writer reported when it stopped, if it did (a real server would have exited).</summary>
    internal RecordingStorageFailure StorageFailure { get; } = new();

    public ManualTimeProvider Clock { get; } = new();

    TimeProvider IRelayHost.Clock => Clock;

    public Uri BaseAddress => Server.BaseAddress;

    /// <summary>Over the in-memory test server; long polling carries the token in the Authorization header.</summary>
    public void ConfigureHub(Microsoft.AspNetCore.Http.Connections.Client.HttpConnectionOptions options)
    {
        options.HttpMessageHandlerFactory = _ => Server.CreateHandler();
        options.Transports = Microsoft.AspNetCore.Http.Connections.HttpTransportType.LongPolling;
    }

    HttpClient IRelayHost.CreateClient() => CreateClient();

    /// <summary>Mints a server coordinator invite directly, as the first-start line would show it.</summary>
    public string CoordinatorInvite() => Services.GetRequiredService<InviteService>().MintAsync(null, Roles.Coordinator).GetAwaiter().GetResult().Code;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            services.AddSingleton<IStorageFailure>(StorageFailure);
            services.AddSingleton<IStartupFilter>(new RemoteAddressFromHeader());
            _configureServices?.Invoke(services);
        });
    }

    /// <summary>Sets the connection's remote address from <see cref="RemoteAddressHeader"/>, before anything else runs.</summary>
    private sealed class RemoteAddressFromHeader : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (System.Net.IPAddress.TryParse(context.Request.Headers[RemoteAddressHeader].ToString(), out var address))
                {
                    context.Connection.RemoteIpAddress = address;
                }

                return nextMiddleware(context);
            });
            next(app);
        };
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A file still open by a sink being torn down; the temp folder is cleaned by the OS eventually.
            }
        }
    }
}
