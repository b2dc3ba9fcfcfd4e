using System.Net;
using Microsoft.AspNetCore.SignalR.Client;
using SafeMentor.Contracts;
using SafeMentor.Server.Tests.Infrastructure;

namespace SafeMentor.Server.Tests.Messaging;

public sealed class RelaySecurityTests
{
    [Fact]
    public async Task Hub_OtherAccountsToken_CannotReadOrAckTheirQueue()
    {
        using var server = new ServerFactory();
        await using var world = await Scenario.CreateAsync(server);
        var mentorHub = await world.Mentor.ConnectAsync();
        var sent = await world.SendAsync(mentorHub, world.Mentee, Scenario.FakeCiphertext());

        // The coordinator (or the sender) connects with their own token: nothing of the mentee's queue arrives,
        // and acknowledging the mentee's envelope id deletes nothing.
        var coordinatorHub = await world.Coordinator.ConnectAsync();
        Assert.Equal(0, (await coordinatorHub.InvokeAsync<AckResult>(HubMethods.Ack, new[] { sent.EnvelopeId })).Deleted);
        Assert.Equal(0, (await mentorHub.InvokeAsync<AckResult>(HubMethods.Ack, new[] { sent.EnvelopeId })).Deleted);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => world.Coordinator.NextEnvelopeAsync(TimeSpan.FromMilliseconds(300)));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => world.Mentor.NextEnvelopeAsync(TimeSpan.FromMilliseconds(100)));

        // The mentor cannot send as the mentee either: the sender is always the token's account.
        await HubAssert.RefusedAsync(ErrorCodes.NotAParty, () => world.SendAsync(mentorHub, world.Mentor, Scenario.FakeCiphertext()));

        await world.Mentee.ConnectAsync();
        Assert.Equal(sent.EnvelopeId, (await world.Mentee.NextEnvelopeAsync()).EnvelopeId);
    }

    [Fact]
    public async Task Hub_NoForgedOrExpiredToken_ConnectionRefused()
    {
        using var server = new ServerFactory();
        await using var world = await Scenario.CreateAsync(server);

        await using var anonymous = TestUser.Unregistered(server, "anonymous");
        var none = await Assert.ThrowsAsync<HttpRequestException>(() => anonymous.ConnectAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);

        anonymous.UseTokens(world.Mentee.Tokens! with { AccessToken = world.Mentee.Tokens!.AccessToken[..^6] + "AAAAAA" });
        var forged = await Assert.ThrowsAsync<HttpRequestException>(() => anonymous.ConnectAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);

        server.Clock.Advance(TimeSpan.FromMinutes(16));
        var expired = await Assert.ThrowsAsync<HttpRequestException>(() => world.Mentee.ConnectAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
    }

    [Fact]
    public async Task Hub_LongPollingAfterTokenExpiry_RequestsRefusedAndConnectionCloses()
    {
        using var server = new ServerFactory();
        await using var user = await TestUser.JoinAsync(server, server.CoordinatorInvite(), "someone");
        var connection = await user.ConnectAsync();
        var closed = new TaskCompletionSource();
        connection.Closed += _ => { closed.TrySetResult(); return Task.CompletedTask; };

        server.Clock.Advance(TimeSpan.FromMinutes(16));

        // Every long-polling request carries the token again; the first one after expiry is refused.
        await Assert.ThrowsAnyAsync<Exception>(() => connection.InvokeAsync<AckResult>(HubMethods.Ack, Array.Empty<string>()));
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(HubConnectionState.Disconnected, connection.State);
    }

    [Fact]
    public async Task Hub_TokenInQueryString_AcceptedOnlyForTheHub()
    {
        using var server = new ServerFactory();
        await using var user = await TestUser.JoinAsync(server, server.CoordinatorInvite(), "browser");
        var client = server.CreateClient();
        var token = Uri.EscapeDataString(user.Tokens!.AccessToken);

        var negotiate = await client.PostAsync($"{Routes.Hub}/negotiate?negotiateVersion=1&access_token={token}", null);
        Assert.Equal(HttpStatusCode.OK, negotiate.StatusCode);

        var elsewhere = await client.GetAsync($"{Routes.Me}?access_token={token}");
        await Http200.AssertProblemAsync(elsewhere, 401, ErrorCodes.Unauthorized);
    }

    [Fact]
    public async Task Hub_RefusalMessages_CarryOnlyTheCode()
    {
        using var server = new ServerFactory();
        await using var world = await Scenario.CreateAsync(server, consent: false);
        var mentorHub = await world.Mentor.ConnectAsync();

        var error = await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(() => world.SendAsync(mentorHub, world.Mentee, Scenario.FakeCiphertext()));

        Assert.Equal("An unexpected error occurred invoking 'Send' on the server. HubException: " + ErrorCodes.ConsentRequired, error.Message);
    }
}
