using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using SafeMentor.Contracts;
using SafeMentor.Server.Accounts;
using SafeMentor.Server.Hosting;

namespace SafeMentor.Server.Messaging;

/// <summary>
/// Around every hub connection and call. A connection is admitted only while its token stands (not signed out, not of
/// an earlier generation, not suspended) and its account holds fewer than the allowed connections; otherwise it is
/// closed without running the hub. Every call re-checks the token in memory (no database read) and refuses with
/// <c>unauthorized</c>, closing the connection, once it was revoked. A refusal (a <see cref="HubException"/> carrying a
/// code) is expected, and is logged at Debug without an exception and counted; anything else is a failure, logged at
/// Error with its exception. SignalR's own error line for both is silenced (see <c>LoggingExtensions</c>).
/// </summary>
/// <remarks>
/// <c>next</c> is called before anything is awaited, so a <c>Send</c> still accepts its envelope synchronously, in the
/// order the connection's invocations arrive.
/// </remarks>
internal sealed partial class RelayHubFilter(
    AccountSecurity security,
    HubConnections connections,
    IOptions<AuthOptions> options,
    Refusals refusals,
    ILogger<RelayHubFilter> logger) : IHubFilter
{
    private const string AdmittedItem = "relay-admitted";

    public Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        var caller = context.Context;
        var accountId = caller.User?.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value;
        if (accountId is null || !security.Accepts(caller.User))
        {
            return Refuse(caller, ErrorCodes.Unauthorized);
        }

        if (!connections.TryAdd(caller, accountId, caller.User!.FindFirst(AccountSecurity.SignInIdClaim)?.Value, options.Value.MaxConnectionsPerAccount))
        {
            return Refuse(caller, ErrorCodes.TooManyConnections);
        }

        caller.Items[AdmittedItem] = accountId;

        // Checked again once registered: a revocation committed in between either is seen here or closes it.
        return security.Accepts(caller.User) ? next(context) : Refuse(caller, ErrorCodes.Unauthorized);
    }

    public async Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        try
        {
            await next(context, exception).ConfigureAwait(false);
        }
        finally
        {
            // Counted until the hub has let go of it: once the count drops, the relay no longer delivers to it.
            if (context.Context.Items.TryGetValue(AdmittedItem, out var item) && item is string accountId)
            {
                connections.Remove(context.Context, accountId);
            }
        }
    }

    public ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        ValueTask<object?> invocation;
        if (!security.Accepts(invocationContext.Context.User))
        {
            invocationContext.Context.Abort();
            invocation = ValueTask.FromException<object?>(new HubException(ErrorCodes.Unauthorized));
        }
        else
        {
            try
            {
                invocation = next(invocationContext);
            }
            catch (Exception e)
            {
                invocation = ValueTask.FromException<object?>(e);
            }
        }

        return invocation.IsCompletedSuccessfully ? invocation : ObserveAsync(invocation, invocationContext.HubMethodName);
    }

    /// <summary>Closes a connection that may not be admitted, without running the hub; the client sees it close.</summary>
    private Task Refuse(HubCallerContext caller, string code)
    {
        LogConnectionRefused(logger, code);
        refusals.Count("hub", code);
        caller.Abort();
        return Task.CompletedTask;
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

    [LoggerMessage(Level = LogLevel.Debug, Message = "Hub connection refused: {Code}")]
    private static partial void LogConnectionRefused(ILogger logger, string code);

    [LoggerMessage(Level = LogLevel.Error, Message = "Hub call {Method} failed")]
    private static partial void LogFailed(ILogger logger, string method, Exception exception);
}

/// <summary>The relay hub's guards: admission and the call filter, strict argument binding, the connection registry.</summary>
internal static class RelayHubGuards
{
    /// <summary>Registers the guards; call after the hub protocols are added.</summary>
    public static IServiceCollection AddRelayHubGuards(this IServiceCollection services)
    {
        services.AddSingleton<HubConnections>();
        services.AddSingleton<RelayHubFilter>();
        services.Configure<HubOptions>(options => options.AddFilter<RelayHubFilter>());
        StrictArgumentsProtocol.WrapAll(services);
        return services;
    }

    /// <summary>
    /// Refuses a negotiation with 429 <c>too_many_connections</c> when the account already holds as many hub connections
    /// as allowed, so the client learns why instead of seeing its connection close; the hub filter enforces the same
    /// limit for connections that skip negotiation or race.
    /// </summary>
    public static WebApplication UseRelayAdmission(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            if (context.Request.Path.StartsWithSegments(Routes.Hub + "/negotiate") && context.User.Identity?.IsAuthenticated == true)
            {
                var max = context.RequestServices.GetRequiredService<IOptions<AuthOptions>>().Value.MaxConnectionsPerAccount;
                if (context.RequestServices.GetRequiredService<HubConnections>().CountOf(context.User.AccountId()) >= max)
                {
                    return Problems.Of(ErrorCodes.TooManyConnections, $"An account may hold {max} hub connections at once; close one first.").ExecuteAsync(context);
                }
            }

            return next(context);
        });
        return app;
    }
}
