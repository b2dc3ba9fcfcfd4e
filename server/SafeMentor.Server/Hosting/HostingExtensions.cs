using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SafeMentor.Server.Storage;

namespace SafeMentor.Server.Hosting;

internal static class HostingExtensions
{
    /// <summary>Loopback unless told otherwise: the default when neither <c>--urls</c> nor ASPNETCORE_URLS nor Kestrel endpoints are set.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>Logging, error shape, clock, OpenAPI, strict input, rate, body and connection limits, and the default listening address.</summary>
    public static WebApplicationBuilder AddHosting(this WebApplicationBuilder builder)
    {
        builder.AddSafeMentorLogging();
        builder.AddErrorHandling();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSafeMentorOpenApi();
        builder.Services.AddStrictJson();
        builder.AddRateLimits();
        builder.AddBodyLimits();
        builder.AddConnectionLimits();

        var configuration = builder.Configuration;
        if (string.IsNullOrEmpty(configuration[WebHostDefaults.ServerUrlsKey])
            && string.IsNullOrEmpty(configuration["http_ports"])
            && string.IsNullOrEmpty(configuration["https_ports"])
            && !configuration.GetSection("Kestrel:Endpoints").GetChildren().Any())
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        return builder;
    }

    /// <summary>
    /// The middleware, in order: forwarded client address (trusted proxies only), request log, errors, body limits,
    /// authentication, authorisation, rate limits, path parameters.
    /// </summary>
    public static WebApplication UseHosting(this WebApplication app)
    {
        app.UseTrustedProxies();
        app.UseSafeMentorRequestLogging();
        app.UseErrorHandling();
        app.UseBodyLimits();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseRouteParameterRules();
        app.MapOpenApi().AllowAnonymous().RequireRateLimiting(RateLimits.Anonymous);
        return app;
    }

    /// <summary>Runs the server; a configuration error stops it with the message naming the setting.</summary>
    public static async Task<int> RunGuardedAsync(this WebApplication app)
    {
        try
        {
            await app.RunAsync().ConfigureAwait(false);
            return 0;
        }
        catch (OptionsValidationException e)
        {
            await Console.Error.WriteLineAsync("Configuration error: " + string.Join(" ", e.Failures)).ConfigureAwait(false);
            return 2;
        }
        catch (StorageUnavailableException e)
        {
            await Console.Error.WriteLineAsync("Storage error: " + e.Message).ConfigureAwait(false);
            return 1;
        }
        catch (IOException e) when (e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
        {
            await Console.Error.WriteLineAsync($"Cannot listen: {e.Message} Another process uses that address; choose one with --urls, for example --urls http://127.0.0.1:5081").ConfigureAwait(false);
            return 2;
        }
    }

    /// <summary>The addresses the server listens on (for the start-up line).</summary>
    public static IEnumerable<string> ListeningAddresses(this WebApplication app)
        => app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
}
