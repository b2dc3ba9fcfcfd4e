using Microsoft.AspNetCore.Http.Connections.Client;

namespace SafeMentor.Server.Tests.Infrastructure;

/// <summary>A running relay that test clients can talk to: in memory (<see cref="ServerFactory"/>) or a real process (<see cref="ServerProcess"/>).</summary>
public interface IRelayHost
{
    /// <summary>The clock the server uses (for statement timestamps and expiry).</summary>
    TimeProvider Clock { get; }

    /// <summary>The server's base address.</summary>
    Uri BaseAddress { get; }

    /// <summary>A new HTTP client for the server.</summary>
    HttpClient CreateClient();

    /// <summary>Transport settings for a hub connection to this server.</summary>
    void ConfigureHub(HttpConnectionOptions options);

    /// <summary>A server coordinator invite code.</summary>
    string CoordinatorInvite();
}
