using SafeMentor.Contracts;

namespace SafeMentor.Server.Messaging;

internal static class MessagingExtensions
{
    /// <summary>The relay hub (JSON and MessagePack), the envelope queue and its group-commit writer.</summary>
    public static WebApplicationBuilder AddMessaging(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RelayOptions>()
            .BindConfiguration(RelayOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<EnvelopeStore>();
        builder.Services.AddSingleton<EnvelopeQueue>();
        builder.Services.AddSingleton<RelayRateLimiter>();
        builder.Services.AddSingleton<EnvelopeWriter>();
        builder.Services.AddHostedService(services => services.GetRequiredService<EnvelopeWriter>());
        builder.Services.AddSignalR(options =>
            {
                // Set on purpose: a little above the envelope limit in base64, see Limits.MaxHubMessageBytes.
                options.MaximumReceiveMessageSize = Limits.MaxHubMessageBytes;
                options.EnableDetailedErrors = false;
            })
            .AddMessagePackProtocol();
        return builder;
    }

    public static IEndpointRouteBuilder MapMessagingEndpoints(this IEndpointRouteBuilder app)
    {
        // A connection lives no longer than the token it was opened with; clients reconnect with a fresh one.
        app.MapHub<RelayHub>(Routes.Hub, options => options.CloseOnAuthenticationExpiration = true);
        return app;
    }
}
