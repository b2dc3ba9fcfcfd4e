using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using SafeMentor.Contracts;
using SafeMentor.LoadGenerator.Load;
using SafeMentor.LoadGenerator.Relay;

namespace SafeMentor.LoadGenerator.Hosting;

/// <summary>The wire format of a hub connection.</summary>
internal enum WireProtocol
{
    Json,
    MessagePack,
}

/// <summary>A server under test (the relay or the bare hub) running as a child process on a loopback port.</summary>
internal abstract class HubServer : IAsyncDisposable
{
    protected HubServer(string name, int port)
    {
        Name = name;
        Port = port;
    }

    public string Name { get; }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    public abstract ChildProcess Process { get; }

    /// <summary>
    /// A hub connection for <paramref name="account"/> over WebSockets without the negotiate round trip (as many
    /// connections open at once, that request would only add noise), not yet started.
    /// </summary>
    public HubConnection CreateConnection(BenchAccount account, WireProtocol protocol)
    {
        var builder = new HubConnectionBuilder().WithUrl(HubAddress(account), HttpTransportType.WebSockets, options =>
        {
            options.SkipNegotiation = true;
            ConfigureConnection(options, account);
        });
        if (protocol == WireProtocol.MessagePack)
        {
            builder.AddMessagePackProtocol();
        }

        return builder.WithAutomaticReconnect(new ReconnectPolicy()).Build();
    }

    public ProcessSample Sample() => Process.Sample();

    /// <summary>Stops the server and starts it again on the same port (and, for the relay, the same data folder).</summary>
    public abstract Task<(TimeSpan Stop, TimeSpan Start)> RestartAsync(CancellationToken cancellationToken);

    public abstract ValueTask DisposeAsync();

    protected abstract Uri HubAddress(BenchAccount account);

    protected virtual void ConfigureConnection(Microsoft.AspNetCore.Http.Connections.Client.HttpConnectionOptions options, BenchAccount account)
    {
    }

    protected static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    protected Uri Hub => new(BaseAddress, Routes.Hub);
}
