using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using SafeMentor.Contracts;
using SafeMentor.Server.Accounts;
using SafeMentor.Tests.Shared;

namespace SafeMentor.Client.Tests.Infrastructure;

/// <summary>
/// The real relay on a loopback port (Kestrel, real sockets and WebSockets), with its own data folder. It can be
/// stopped and started again on the same port and folder, as a restart.
/// </summary>
public sealed class RelayServer : IAsyncDisposable
{
    private readonly Dictionary<string, string?> _settings;
    private Factory _factory;

    private RelayServer(string dataDirectory, int port, Dictionary<string, string?> settings)
    {
        DataDirectory = dataDirectory;
        Port = port;
        _settings = settings;
        _factory = Start();
    }

    public string DataDirectory { get; }

    public int Port { get; }

    public Uri Url => new($"http://127.0.0.1:{Port}/");

    public static RelayServer Start(IDictionary<string, string?>? settings = null)
        => new(Path.Combine(Path.GetTempPath(), "safementor-client-tests", Guid.NewGuid().ToString("N")), TestPorts.Free(), new(settings ?? new Dictionary<string, string?>()));

    /// <summary>Stops the server and starts it again on the same port and data folder.</summary>
    public async Task RestartAsync()
    {
        await _factory.DisposeAsync();

        // The port the old server listened on can take a moment to be free again; a start that keeps failing throws.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                _factory = Start();
                return;
            }
            catch (Exception) when (attempt < 50)
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>A server coordinator invite, minted as the first start or the invite command would.</summary>
    public string CoordinatorInvite()
    {
        var invites = _factory.Services.GetRequiredService<InviteService>();
        return invites.MintAsync(null, Roles.Coordinator).GetAwaiter().GetResult().Code;
    }

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private Factory Start()
    {
        var factory = new Factory(DataDirectory, Port, _settings);
        try
        {
            factory.StartServer();
            var address = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            if (!address.EndsWith($":{Port}", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"The server listens on {address}, not on port {Port}.");
            }

            return factory;
        }
        catch
        {
            factory.Dispose();
            throw;
        }
    }

    private sealed class Factory : WebApplicationFactory<Program>
    {
        private readonly string _dataDirectory;
        private readonly int _port;
        private readonly Dictionary<string, string?> _settings;

        public Factory(string dataDirectory, int port, Dictionary<string, string?> settings)
        {
            _dataDirectory = dataDirectory;
            _port = port;
            _settings = settings;
            UseKestrel(options => options.Listen(IPAddress.Loopback, port));
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("SafeMentor:DataDirectory", _dataDirectory);
            builder.UseSetting("urls", $"http://127.0.0.1:{_port}");
            builder.UseSetting("Serilog:MinimumLevel:Default", "Warning");
            foreach (var (key, value) in _settings)
            {
                builder.UseSetting(key, value);
            }
        }
    }
}
