using System.Net;
using System.Net.Sockets;

namespace SafeMentor.Tests.Shared;

/// <summary>Ports for test servers, shared by the test projects (linked into each).</summary>
internal static class TestPorts
{
    /// <summary>
    /// A free loopback port below the systems' ephemeral ranges (Linux hands out 32768 and up, macOS and Windows 49152
    /// and up), so that while a server restarts on it no outgoing connection of any process, other test runs
    /// included, can be given it.
    /// </summary>
    public static int Free()
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var port = Random.Shared.Next(20_000, 32_000);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // Taken: try another.
            }
        }

        throw new InvalidOperationException("No free loopback port between 20000 and 32000.");
    }
}
