using Microsoft.AspNetCore.SignalR;

namespace SafeMentor.Server.Tests.Infrastructure;

public static class HubAssert
{
    /// <summary>Asserts that a hub call is refused with exactly <paramref name="code"/> as the message.</summary>
    public static async Task RefusedAsync(string code, Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<HubException>(call);
        Assert.EndsWith(code, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(" ", error.Message.Split("HubException: ")[^1], StringComparison.Ordinal);
    }
}
