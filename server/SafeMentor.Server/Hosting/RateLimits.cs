using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using SafeMentor.Server.Keys;

namespace SafeMentor.Server.Hosting;

/// <summary>Rates for the rate-limiting policies of <see cref="RateLimits"/>.</summary>
internal sealed class RateLimitOptions
{
    public const string SectionName = "SafeMentor:RateLimits";

    /// <summary>Requests to anonymous endpoints per client address (IPv6: per /64) per minute.</summary>
    [Range(1, 1_000_000, ErrorMessage = "SafeMentor:RateLimits:AnonymousPerAddressPerMinute must be between 1 and 1000000.")]
    public int AnonymousPerAddressPerMinute { get; set; } = 60;

    /// <summary>Requests to anonymous endpoints per second from all addresses together.</summary>
    [Range(1, 1_000_000, ErrorMessage = "SafeMentor:RateLimits:AnonymousPerSecond must be between 1 and 1000000.")]
    public int AnonymousPerSecond { get; set; } = 200;

    /// <summary>Invite redemptions per signed-in account per minute.</summary>
    [Range(1, 1_000_000, ErrorMessage = "SafeMentor:RateLimits:InviteRedemptionsPerAccountPerMinute must be between 1 and 1000000.")]
    public int InviteRedemptionsPerAccountPerMinute { get; set; } = 10;
}

/// <summary>
/// The server's one rate-limiting setup, on the framework's rate limiter; endpoints name a policy with
/// <c>RequireRateLimiting</c>. Partitions live in memory only; an address is a partition key and is never stored or
/// logged. A refused request is answered 429 <c>rate_limited</c> with <c>Retry-After</c>.
/// </summary>
internal static class RateLimits
{
    /// <summary>Anonymous endpoints: per client address first, then one shared limit for all addresses.</summary>
    public const string Anonymous = "anonymous";

    /// <summary>Invite redemption by a signed-in account, per account.</summary>
    public const string InviteRedemption = "invite-redemption";

    /// <summary>Prekey bundle fetches, per account (<see cref="KeysOptions.BundleRequestsPerMinute"/>).</summary>
    public const string Bundles = "bundles";

    public static WebApplicationBuilder AddRateLimits(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RateLimitOptions>()
            .BindConfiguration(RateLimitOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<AnonymousGlobalLimit>();
        builder.Services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = (context, _) =>
            {
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    context.HttpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                }

                return ValueTask.CompletedTask;
            };

            options.AddPolicy(Anonymous, context =>
            {
                var perMinute = context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value.AnonymousPerAddressPerMinute;
                var global = context.RequestServices.GetRequiredService<AnonymousGlobalLimit>().Limiter;
                return RateLimitPartition.Get(AddressKey(context.Connection.RemoteIpAddress), _ => new AddressThenGlobalLimiter(
                    new FixedWindowRateLimiter(new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }),
                    global));
            });
            options.AddPolicy(InviteRedemption, context => PerAccountPerMinute(
                context, context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value.InviteRedemptionsPerAccountPerMinute));
            options.AddPolicy(Bundles, context => PerAccountPerMinute(
                context, context.RequestServices.GetRequiredService<IOptions<KeysOptions>>().Value.BundleRequestsPerMinute));
        });
        return builder;
    }

    /// <summary>The partition of a client address: IPv4 addresses as they are, IPv6 addresses by their /64 prefix.</summary>
    public static string AddressKey(IPAddress? address)
    {
        if (address is null)
        {
            return "";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var bytes = address.GetAddressBytes();
            Array.Clear(bytes, 8, 8);
            return new IPAddress(bytes).ToString();
        }

        return address.ToString();
    }

    private static RateLimitPartition<string> PerAccountPerMinute(HttpContext context, int perMinute)
        => RateLimitPartition.GetFixedWindowLimiter(
            context.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? "",
            _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
}

/// <summary>The one limit shared by all addresses on anonymous endpoints: a token bucket refilled every second.</summary>
internal sealed class AnonymousGlobalLimit(IOptions<RateLimitOptions> options) : IDisposable
{
    public RateLimiter Limiter { get; } = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
    {
        TokenLimit = options.Value.AnonymousPerSecond,
        TokensPerPeriod = options.Value.AnonymousPerSecond,
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    });

    public void Dispose() => Limiter.Dispose();
}

/// <summary>
/// A client address's own limit first, then the global one. In this order a client over its own limit is refused
/// without taking anything from the shared budget, so one busy address cannot use up everyone's; the framework's
/// global limiter would be consulted before the endpoint's, which is the wrong way round for this.
/// </summary>
internal sealed class AddressThenGlobalLimiter(RateLimiter address, RateLimiter global) : RateLimiter
{
    public override TimeSpan? IdleDuration => address.IdleDuration;

    public override RateLimiterStatistics? GetStatistics() => address.GetStatistics();

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        var own = address.AttemptAcquire(permitCount);
        if (!own.IsAcquired)
        {
            return own;
        }

        var shared = global.AttemptAcquire(permitCount);
        if (!shared.IsAcquired)
        {
            own.Dispose();
            return shared;
        }

        shared.Dispose();
        return own;
    }

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
        => ValueTask.FromResult(AttemptAcquireCore(permitCount));

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            // The global limiter is shared by every address and outlives this partition.
            address.Dispose();
        }

        base.Dispose(disposing);
    }
}
