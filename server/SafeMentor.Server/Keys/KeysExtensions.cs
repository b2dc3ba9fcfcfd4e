using SafeMentor.Server.Storage;

namespace SafeMentor.Server.Keys;

internal static class KeysExtensions
{
    /// <summary>The prekey directory (its bundle rate limit is one of <see cref="Hosting.RateLimits"/>).</summary>
    public static WebApplicationBuilder AddKeys(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<KeysOptions>()
            .BindConfiguration(KeysOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<PrekeyDirectory>();
        builder.Services.AddStorageSchema<PrekeySchema>();
        return builder;
    }

    public static IEndpointRouteBuilder MapKeysEndpoints(this IEndpointRouteBuilder app) => app.MapKeyEndpoints();
}
