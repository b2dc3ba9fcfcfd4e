using Microsoft.Extensions.Options;
using SafeMentor.Contracts;
using SafeMentor.Server.Storage;

namespace SafeMentor.Server.Messaging;

internal static class MessagingExtensions
{
    /// <summary>The relay hub (JSON and MessagePack), the envelope queue and delivery.</summary>
    public static WebApplicationBuilder AddMessaging(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RelayOptions>()
            .BindConfiguration(RelayOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddStorageSchema<EnvelopeSchema>();
        builder.Services.AddSingleton<EnvelopeStore>();
        builder.Services.AddSingleton<EnvelopeQueue>();
        builder.Services.AddSingleton<DeliveryPump>();
        builder.Services.AddSingleton<RelayRateLimiter>();
        builder.Services.AddSignalR(options =>
            {
                // Set on purpose: a little above the envelope limit in base64, see Limits.MaxHubMessageBytes.
                options.MaximumReceiveMessageSize = Limits.MaxHubMessageBytes;
                options.EnableDetailedErrors = false;
            })
            .AddMessagePackProtocol();
        builder.Services.AddRelayHubGuards();
        builder.Services.AddOptions<Microsoft.AspNetCore.SignalR.HubOptions>()
            .Configure<IOptions<RelayOptions>>((hub, relay) => hub.MaximumParallelInvocationsPerClient = relay.Value.MaxInFlightPerConnection);
        return builder;
    }

    public static IEndpointRouteBuilder MapMessagingEndpoints(this IEndpointRouteBuilder app)
    {
        // A connection lives no longer than the token it was opened with; clients reconnect with a fresh one. The
        // hub's arguments are checked by its own strict binding and shape checks; the framework's parameter
        // validation has nothing to check on these endpoints, and its filter would stay in every open connection.
        app.MapHub<RelayHub>(Routes.Hub, options => options.CloseOnAuthenticationExpiration = true)
            .DisableValidation();
        return app;
    }
}
