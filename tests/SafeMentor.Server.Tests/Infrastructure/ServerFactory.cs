using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using SafeMentor.Contracts;
using SafeMentor.Server.Accounts;
using SafeMentor.Server.Storage;

namespace SafeMentor.Server.Tests.Infrastructure;

/// <summary>A whole server with its own temporary data folder and a manual clock.</summary>
public sealed class ServerFactory : WebApplicationFactory<Program>, IRelayHost
{
    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _configureServices;

    public ServerFactory(IDictionary<string, string?>? settings = null, Action<IServiceCollection>? configureServices = null)
    {
        _configureServices = configureServices;
        DataDirectory = Path.Combine(Path.GetTempPath(), "safementor-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(DataDirectory);
        _settings = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
        {
            ["SafeMentor:DataDirectory"] = DataDirectory,
        };
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
            _configureServices?.Invoke(services);
        });
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
