using Microsoft.AspNetCore.SignalR.Client;
using SafeMentor.Contracts;
using SafeMentor.LoadGenerator.Hosting;
using SafeMentor.LoadGenerator.Relay;

namespace SafeMentor.LoadGenerator.Load;

/// <summary>
/// What a set of connections reports to: the run being measured, if any, for the envelopes they receive; and how
/// often they lost their connection (each then reconnects, as a client does).
/// </summary>
internal sealed class Receiver
{
    private RunRecorder? _current;
    private long _drops;
    private long _reconnects;
    private string? _firstDrop;

    public RunRecorder? Current
    {
        get => Volatile.Read(ref _current);
        set => Volatile.Write(ref _current, value);
    }

    /// <summary>Connections the server or the network closed while the bench was using them.</summary>
    public long Drops => Interlocked.Read(ref _drops);

    /// <summary>Dropped connections that were opened again.</summary>
    public long Reconnects => Interlocked.Read(ref _reconnects);

    /// <summary>Why the first of them closed.</summary>
    public string? FirstDrop => Volatile.Read(ref _firstDrop);

    public void NoteReconnect() => Interlocked.Increment(ref _reconnects);

    public void NoteDrop(Exception? reason)
    {
        Interlocked.Increment(ref _drops);
        Interlocked.CompareExchange(ref _firstDrop, reason is null ? "closed without an error" : $"{reason.GetType().Name}: {reason.Message}", null);
    }
}

/// <summary>
/// One account's hub connection: every envelope it receives is recorded for the current run and acknowledged in
/// batches. The handler does no I/O itself, so the connection's receive loop never waits on the server. A
/// connection the server drops reconnects (the relay then hands over everything still unacknowledged, so what
/// arrived but was not yet acknowledged arrives twice, as the API allows); the drop is counted.
/// </summary>
internal sealed class LoadConnection : IAsyncDisposable
{
    private readonly CancellationTokenSource _disposing = new();

    private LoadConnection(BenchAccount account, HubConnection connection)
    {
        Account = account;
        Connection = connection;
        Acks = new AckBatcher(connection);
    }

    public BenchAccount Account { get; }

    public HubConnection Connection { get; }

    public AckBatcher Acks { get; }

    public static async Task<LoadConnection> OpenAsync(HubServer server, BenchAccount account, WireProtocol protocol, Receiver receiver, CancellationToken cancellationToken)
    {
        var connection = server.CreateConnection(account, protocol);
        var load = new LoadConnection(account, connection);
        connection.On<EnvelopeDto>(HubMethods.ReceiveEnvelope, envelope =>
        {
            receiver.Current?.OnEnvelope(envelope);
            load.Acks.Add(envelope.EnvelopeId);
        });
        connection.Reconnecting += reason =>
        {
            receiver.NoteDrop(reason);
            return Task.CompletedTask;
        };
        connection.Reconnected += _ =>
        {
            receiver.NoteReconnect();
            return Task.CompletedTask;
        };

        // A server that closes a connection on purpose (an error in its connect handler, say) is not retried by the
        // client library; a client would connect again, and so does this one.
        connection.Closed += async reason =>
        {
            if (load._disposing.IsCancellationRequested)
            {
                return;
            }

            receiver.NoteDrop(reason);
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            for (var attempt = 0; !load._disposing.IsCancellationRequested && System.Diagnostics.Stopwatch.GetElapsedTime(started) < ReconnectPolicy.GiveUpAfter; attempt++)
            {
                try
                {
                    await Task.Delay(ReconnectPolicy.Delay(attempt), load._disposing.Token);
                    await connection.StartAsync(load._disposing.Token);
                    receiver.NoteReconnect();
                    return;
                }
                catch (Exception e) when (e is HttpRequestException or IOException or InvalidOperationException or OperationCanceledException
                    or System.Net.WebSockets.WebSocketException or TimeoutException)
                {
                    // Try again after a longer pause, until disposed or out of patience.
                }
            }
        };
        connection.On<RelayStateDto>(HubMethods.RelayStateChanged, _ => { });
        try
        {
            await connection.StartAsync(cancellationToken);
        }
        catch
        {
            await load.DisposeAsync();
            throw;
        }

        return load;
    }

    /// <summary>Opens connections for <paramref name="accounts"/>, <paramref name="parallelism"/> at a time.</summary>
    public static async Task<LoadConnection[]> OpenManyAsync(
        HubServer server, IReadOnlyList<BenchAccount> accounts, WireProtocol protocol, Receiver receiver, int parallelism, CancellationToken cancellationToken)
    {
        var connections = new LoadConnection[accounts.Count];
        try
        {
            await Parallel.ForAsync(0, accounts.Count, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
                async (i, ct) => connections[i] = await OpenAsync(server, accounts[i], protocol, receiver, ct));
        }
        catch
        {
            await CloseAllAsync(connections.Where(c => c is not null), parallelism);
            throw;
        }

        return connections;
    }

    public static Task CloseAllAsync(IEnumerable<LoadConnection> connections, int parallelism = 64)
        => Parallel.ForEachAsync(connections, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (c, _) => await c.DisposeAsync());

    /// <summary>
    /// Waits until this connection has no received envelope left to acknowledge; false if acknowledgements made no
    /// progress for <paramref name="quiet"/> (a slow server may take long, but must keep moving).
    /// </summary>
    public async Task<bool> WaitForAcksAsync(TimeSpan quiet)
    {
        var last = Acks.Calls;
        var lastChange = System.Diagnostics.Stopwatch.GetTimestamp();
        while (Acks.Waiting > 0)
        {
            if (Acks.Calls != last)
            {
                last = Acks.Calls;
                lastChange = System.Diagnostics.Stopwatch.GetTimestamp();
            }
            else if (System.Diagnostics.Stopwatch.GetElapsedTime(lastChange) > quiet)
            {
                return false;
            }

            await Task.Delay(5);
        }

        return true;
    }

    public async ValueTask DisposeAsync()
    {
        await _disposing.CancelAsync();
        await Connection.DisposeAsync();
        await Acks.CompleteAsync();
        _disposing.Dispose();
    }
}
