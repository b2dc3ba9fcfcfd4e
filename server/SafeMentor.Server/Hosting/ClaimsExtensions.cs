using System.Security.Claims;

namespace SafeMentor.Server.Hosting;

internal static class ClaimsExtensions
{
    /// <summary>The signed-in account id (the NameIdentifier claim, also SignalR's user id).</summary>
    public static string AccountId(this ClaimsPrincipal user)
        => user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("The caller is not signed in.");
}
