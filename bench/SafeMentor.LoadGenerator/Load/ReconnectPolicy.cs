using Microsoft.AspNetCore.SignalR.Client;

namespace SafeMentor.LoadGenerator.Load;

/// <summary>
/// How a dropped connection comes back, as a patient client's would: at once, then after 1, 2, 4 and 8 seconds and
/// every 10 seconds after that, for up to two minutes. Backing off keeps a struggling server from being buried
/// under reconnects.
/// </summary>
internal sealed class ReconnectPolicy : IRetryPolicy
{
    public static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(2);

    public static TimeSpan Delay(int attempt) => attempt == 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(Math.Min(10, 1 << Math.Min(attempt - 1, 4)));

    public TimeSpan? NextRetryDelay(RetryContext retryContext)
        => retryContext.ElapsedTime < GiveUpAfter ? Delay((int)retryContext.PreviousRetryCount) : null;
}
