using Microsoft.AspNetCore.SignalR;
using SafeMentor.Contracts;

namespace SafeMentor.Server.Messaging;

/// <summary>
/// One loop per hub connection, from its start to its end: takes the next page of the recipient's envelopes and
/// writes it to the connection, waiting on the transport when the client reads slowly (back-pressure) and on
/// acknowledgements when the delivery window is full.
/// </summary>
internal sealed partial class DeliveryPump(EnvelopeQueue queue, IHubContext<RelayHub, IRelayClient> hub, ILogger<DeliveryPump> logger)
{
    public Task Start(RelayConnection connection) => Task.Run(() => RunAsync(connection));

    private async Task RunAsync(RelayConnection connection)
    {
        var client = hub.Clients.Client(connection.ConnectionId);
        var delivered = 0L;
        try
        {
            while (!connection.IsClosed)
            {
                var page = queue.TakePage(connection);
                if (page.Count == 0)
                {
                    await connection.WaitAsync().ConfigureAwait(false);
                    continue;
                }

                foreach (var envelope in page)
                {
                    await client.ReceiveEnvelope(envelope).ConfigureAwait(false);
                }

                delivered += page.Count;
            }
        }
        catch (OperationCanceledException) when (connection.IsClosed)
        {
            // The connection closed; what it did not acknowledge is delivered again on the next one.
        }
#pragma warning disable CA1031 // A broken transport ends this loop only; the envelopes stay queued.
        catch (Exception e)
#pragma warning restore CA1031
        {
            var reason = e.GetType().Name;
            LogPumpStopped(logger, reason);
        }

        LogPumpEnded(logger, delivered);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Delivery to a connection stopped: {ExceptionType}")]
    private static partial void LogPumpStopped(ILogger logger, string exceptionType);

    [LoggerMessage(Level = LogLevel.Debug, Message = "A connection closed after {Delivered} envelopes were delivered to it")]
    private static partial void LogPumpEnded(ILogger logger, long delivered);
}
