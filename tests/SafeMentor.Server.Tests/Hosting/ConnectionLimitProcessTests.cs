using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using SafeMentor.Contracts;
using SafeMentor.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SafeMentor.Server.Tests.Hosting;

/// <summary>
/// A real server process under a low file descriptor limit. Without connection limits, idle connections from one
/// client used up its descriptors and the runtime aborted the process.
/// </summary>
public sealed partial class ConnectionLimitProcessTests(ITestOutputHelper output)
{
    private const int DescriptorLimit = 1024;
    private const int IdleConnections = 1200;

    [Fact]
    public async Task IdleConnections_MoreThanTheDescriptorLimit_ExcessRefusedServerSurvivesAndServesAfterwards()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var server = await ServerProcess.StartWithDescriptorLimitAsync(DescriptorLimit);
        var sockets = new List<Socket>();
        try
        {
            for (var i = 0; i < IdleConnections; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                sockets.Add(socket);
                try
                {
                    await socket.ConnectAsync(IPAddress.Loopback, server.BaseAddress.Port);
                }
                catch (SocketException)
                {
                    // The backlog is full for a moment: refused as well.
                }
            }

            // Requests while the idle connections are held: without limits, the runtime needed a descriptor it could not
            // get for code it had not compiled yet, and aborted ("Out of memory.").
            using (var during = server.CreateClient())
            {
                during.Timeout = TimeSpan.FromSeconds(3);
                foreach (var path in new[] { Routes.Health, "/openapi/v1.json", Routes.Me })
                {
                    try
                    {
                        (await during.GetAsync(path)).Dispose();
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                    {
                        // Refused at the connection limit: expected while the idle connections are held.
                    }
                }
            }

            Assert.True(server.IsRunning, "the server process died while the connections were held");
            var limits = server.Output.Select(line => LimitsLine().Match(line)).FirstOrDefault(m => m.Success);
            Assert.NotNull(limits);
            var maxConcurrent = int.Parse(limits.Groups["http"].Value, System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(maxConcurrent + int.Parse(limits.Groups["ws"].Value, System.Globalization.CultureInfo.InvariantCulture) < DescriptorLimit);

            var refused = await CountClosedByServerAsync(sockets, atLeast: IdleConnections - maxConcurrent);
            output.WriteLine($"{refused} of {IdleConnections} idle connections refused; limit {maxConcurrent} HTTP connections for {DescriptorLimit} descriptors");
            Assert.True(refused >= IdleConnections - maxConcurrent, $"only {refused} connections were refused");
            Assert.True(server.IsRunning, "the server process died");
        }
        finally
        {
            foreach (var socket in sockets)
            {
                socket.Dispose();
            }
        }

        // Once they are gone, everything works: join, sign in, talk.
        await using var world = await Scenario.CreateAsync(server);
        var mentorHub = await world.Mentor.ConnectAsync();
        await world.Mentee.ConnectAsync();
        var sent = await world.SendAsync(mentorHub, world.Mentee, Scenario.FakeCiphertext());
        Assert.Equal(sent.EnvelopeId, (await world.Mentee.NextEnvelopeAsync()).EnvelopeId);

        // A body streamed without Content-Length is cut off by Kestrel at the limit, and still answered with a problem.
        using var client = server.CreateClient();
        var chunked = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes("{\"inviteCode\":\"" + new string('a', 100 * 1024) + "\"}")));
        chunked.Headers.ContentType = new("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, Routes.Accounts) { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        await Http200.AssertProblemAsync(await client.SendAsync(request), 413, ErrorCodes.TooLarge);
        Assert.True(server.IsRunning);
    }

    /// <summary>Waits up to 30 seconds for the server to close at least <paramref name="atLeast"/> of the connections.</summary>
    private static async Task<int> CountClosedByServerAsync(List<Socket> sockets, int atLeast)
    {
        var closed = new HashSet<Socket>();
        var buffer = new byte[1];
        for (var attempt = 0; attempt < 60 && closed.Count < atLeast; attempt++)
        {
            await Task.Delay(500);
            foreach (var socket in sockets.Where(s => !closed.Contains(s)))
            {
                if (!socket.Connected)
                {
                    closed.Add(socket);
                    continue;
                }

                try
                {
                    if (socket.Poll(0, SelectMode.SelectRead) && socket.Receive(buffer) == 0)
                    {
                        closed.Add(socket);
                    }
                }
                catch (SocketException)
                {
                    closed.Add(socket);
                }
            }
        }

        return closed.Count;
    }

    [GeneratedRegex(@"Connection limits: (?<http>\d+) HTTP connections and (?<ws>\d+) WebSocket connections")]
    private static partial Regex LimitsLine();
}
