using Microsoft.AspNetCore.SignalR.Client;
using SafeMentor.Server.Tests.Infrastructure;

namespace SafeMentor.Server.Tests.Messaging;

/// <summary>A WebSocket does not re-authenticate per message: the server must close it when its token expires.</summary>
public sealed class TokenExpiryProcessTests
{
    [Fact]
    public async Task Hub_WebSocketOpenPastTokenExpiry_ServerClosesIt()
    {
        using var server = await ServerProcess.StartAsync(("SafeMentor__Auth__AccessTokenMinutes", "1"));
        await using var user = await TestUser.JoinAsync(server, server.CoordinatorInvite(), "someone");
        var connection = await user.ConnectAsync();
        var closed = new TaskCompletionSource();
        connection.Closed += _ => { closed.TrySetResult(); return Task.CompletedTask; };

        // The real clock has to pass the one-minute token lifetime; the server checks every second.
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(90));

        Assert.Equal(HubConnectionState.Disconnected, connection.State);
    }
}
