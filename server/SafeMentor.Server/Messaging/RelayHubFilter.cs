using Microsoft.AspNetCore.SignalR;
using SafeMentor.Server.Hosting;

namespace SafeMentor.Server.Messaging;

/// <summary>
/// Around every hub call: a refusal (a <see cref="HubException"/> carrying a code) is expected, and is logged at Debug
/// without an exception and counted; anything else is a failure, logged at Error with its exception. SignalR's own
/// error line for both is silenced (see <c>LoggingExtensions</c>).
/// </summary>
/// <remarks>
/// <c>next</c> is called before anything is awaited, so a <c>Send</c> still accepts its envelope synchronously, in the
/// order the connection's invocations arrive.
/// </remarks>
internal sealed partial class RelayHubFilter(Refusals refusals, ILogger<RelayHubFilter> logger) : IHubFilter
{
    public ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        ValueTask<object?> invocation;
        try
        {
            invocation = next(invocationContext);
        }
        catch (Exception e)
        {
            invocation = ValueTask.FromException<object?>(e);
        }

        return invocation.IsCompletedSuccessfully ? invocation : ObserveAsync(invocation, invocationContext.HubMethodName);
    }

    private async ValueTask<object?> ObserveAsync(ValueTask<object?> invocation, string method)
    {
        try
        {
            return await invocation.ConfigureAwait(false);
        }
        catch (HubException refusal)
        {
            var code = refusal.Message;
            LogRefused(logger, method, code);
            refusals.Count("hub", code);
            throw;
        }
        catch (Exception failure)
        {
            LogFailed(logger, method, failure);
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Hub call {Method} refused: {Code}")]
    private static partial void LogRefused(ILogger logger, string method, string code);

    [LoggerMessage(Level = LogLevel.Error, Message = "Hub call {Method} failed")]
    private static partial void LogFailed(ILogger logger, string method, Exception exception);
}

/// <summary>The relay hub's guards: the call filter and strict argument binding.</summary>
internal static class RelayHubGuards
{
    /// <summary>Registers the guards; call after the hub protocols are added.</summary>
    public static IServiceCollection AddRelayHubGuards(this IServiceCollection services)
    {
        services.AddSingleton<RelayHubFilter>();
        services.Configure<HubOptions>(options => options.AddFilter<RelayHubFilter>());
        StrictArgumentsProtocol.WrapAll(services);
        return services;
    }
}
