using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using SafeMentor.Server.Storage;

namespace SafeMentor.Server.Keys;

internal static class KeysExtensions
{
    /// <summary>The prekey directory and the bundle rate limit (per account, fixed window of a minute).</summary>
    public static WebApplicationBuilder AddKeys(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<KeysOptions>()
            .BindConfiguration(KeysOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<PrekeyDirectory>();
        builder.Services.AddStorageSchema<PrekeySchema>();
        builder.Services.AddRateLimiter(options => options.AddPolicy(KeyEndpoints.BundlePolicy, context =>
        {
            var perMinute = context.RequestServices.GetRequiredService<IOptions<KeysOptions>>().Value.BundleRequestsPerMinute;
            return RateLimitPartition.GetFixedWindowLimiter(
                context.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? "",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
        }));
        return builder;
    }

    public static IEndpointRouteBuilder MapKeysEndpoints(this IEndpointRouteBuilder app) => app.MapKeyEndpoints();
}
