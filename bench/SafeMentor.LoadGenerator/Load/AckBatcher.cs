using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using SafeMentor.Contracts;

namespace SafeMentor.LoadGenerator.Load;

/// <summary>
/// Acknowledges received envelopes in batches, as a client does after storing them: a batch goes when 16 ids are
/// waiting or 5 ms after the first one, and takes everything waiting (up to the relay's 500 per call). One call is
/// in flight per connection at a time. Counts what it acknowledged and how long the calls took.
/// </summary>
internal sealed class AckBatcher
{
    public const int FlushCount = 16;
    public static readonly TimeSpan FlushDelay = TimeSpan.FromMilliseconds(5);

    private readonly HubConnection _connection;
    private readonly Channel<string> _ids = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;
    private long _waiting;
    private long _acknowledged;
    private long _calls;
    private long _callTicks;
    private long _errors;

    public AckBatcher(HubConnection connection)
    {
        _connection = connection;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Ids acknowledged successfully so far.</summary>
    public long Acknowledged => Interlocked.Read(ref _acknowledged);

    public long Calls => Interlocked.Read(ref _calls);

    public long CallTicks => Interlocked.Read(ref _callTicks);

    public long Errors => Interlocked.Read(ref _errors);

    /// <summary>Ids received but not yet acknowledged (waiting or in the call in flight).</summary>
    public long Waiting => Interlocked.Read(ref _waiting);

    public void Add(string envelopeId)
    {
        Interlocked.Increment(ref _waiting);
        _ids.Writer.TryWrite(envelopeId);
    }

    /// <summary>Stops taking ids and waits for the last batch.</summary>
    public Task CompleteAsync()
    {
        _ids.Writer.TryComplete();
        return _loop;
    }

    private async Task LoopAsync()
    {
        var reader = _ids.Reader;
        var batch = new List<string>(Limits.MaxAckBatch);
        while (await reader.WaitToReadAsync())
        {
            if (Waiting < FlushCount)
            {
                await Task.Delay(FlushDelay);
            }

            while (batch.Count < Limits.MaxAckBatch && reader.TryRead(out var id))
            {
                batch.Add(id);
            }

            var started = Stopwatch.GetTimestamp();
            try
            {
                await _connection.InvokeAsync<AckResult>(HubMethods.Ack, batch.ToArray());
                Interlocked.Add(ref _acknowledged, batch.Count);
            }
            catch (Exception e) when (e is HubException or InvalidOperationException or IOException or OperationCanceledException or ObjectDisposedException or System.Net.WebSockets.WebSocketException)
            {
                Interlocked.Increment(ref _errors);
            }

            Interlocked.Add(ref _callTicks, Stopwatch.GetTimestamp() - started);
            Interlocked.Increment(ref _calls);
            Interlocked.Add(ref _waiting, -batch.Count);
            batch.Clear();
        }
    }
}
