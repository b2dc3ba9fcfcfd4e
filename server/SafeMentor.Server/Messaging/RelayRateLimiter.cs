using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace SafeMentor.Server.Messaging;

/// <summary>Per-account token bucket for sends.</summary>
internal sealed class RelayRateLimiter(IOptions<RelayOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(
        accountId => RateLimitPartition.GetTokenBucketLimiter(accountId, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = options.Value.SendBurst,
            TokensPerPeriod = options.Value.SendsPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

    public RateLimitLease Acquire(string accountId) => _limiter.AttemptAcquire(accountId);

    public void Dispose() => _limiter.Dispose();
}
