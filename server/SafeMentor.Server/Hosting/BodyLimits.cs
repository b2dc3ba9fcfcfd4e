using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using SafeMentor.Contracts;

namespace SafeMentor.Server.Hosting;

/// <summary>
/// Request bodies are limited before anything reads them: 64 KiB unless an endpoint declares more
/// (<see cref="AllowsBodyUpTo"/>). Kestrel enforces the limit while a body streams in; a declared
/// <c>Content-Length</c> above it is answered 413 <c>too_large</c> at once, without reading a byte.
/// </summary>
internal static class BodyLimits
{
    public const long Default = 64 * 1024;

    /// <summary>Ground rules: 20 000 characters of text, which JSON may escape to six bytes each.</summary>
    public const long GroundRules = 256 * 1024;

    /// <summary>
    /// The hub's HTTP transports (long polling, server-sent events) post batches of hub messages; each message is
    /// limited by SignalR (<see cref="Limits.MaxHubMessageBytes"/>), and a client's batch by its transport buffer.
    /// </summary>
    public const long Hub = 4 * 1024 * 1024;

    public static RouteHandlerBuilder AllowsBodyUpTo(this RouteHandlerBuilder endpoint, long bytes)
        => endpoint.WithMetadata(new BodyLimit(bytes));

    public static WebApplicationBuilder AddBodyLimits(this WebApplicationBuilder builder)
    {
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = Default);
        return builder;
    }

    public static WebApplication UseBodyLimits(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            var limit = context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize
                ?? (context.Request.Path.StartsWithSegments(Routes.Hub) ? Hub : Default);
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
            {
                feature.MaxRequestBodySize = limit;
            }

            return context.Request.ContentLength > limit
                ? Problems.Of(ErrorCodes.TooLarge, $"The request body is larger than {limit} bytes.").ExecuteAsync(context)
                : next(context);
        });
        return app;
    }

    private sealed record BodyLimit(long? MaxRequestBodySize) : IRequestSizeLimitMetadata;
}
