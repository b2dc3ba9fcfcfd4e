using Microsoft.AspNetCore.SignalR.Client;
using SafeMentor.Contracts;
using SafeMentor.LoadGenerator.Hosting;
using SafeMentor.LoadGenerator.Relay;

namespace SafeMentor.LoadGenerator.Load;

/// <summary>Where a connection reports the envelopes it receives: the run being measured, if any.</summary>
internal sealed class Receiver
{
    private RunRecorder? _current;

    public RunRecorder? Current
    {
        get => Volatile.Read(ref _current);
        set => Volatile.Write(ref _current, value);
    }

    private long _unrouted;

    /// <summary>Envelopes that arrived while no run was being measured.</summary>
    public long Unrouted => Interlocked.Read(ref _unrouted);

    public void NoteUnrouted() => Interlocked.Increment(ref _unrouted);
}

/// <summary>
/// One account's hub connection: every envelope it receives is recorded for the current run and acknowledged in
/// batches. The handler does no I/O itself, so the connection's receive loop never waits on the server.
/// </summary>
internal sealed class LoadConnection : IAsyncDisposable
{
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
            if (receiver.Current is { } run)
            {
                run.OnEnvelope(envelope);
            }
            else
            {
                receiver.NoteUnrouted();
            }

            load.Acks.Add(envelope.EnvelopeId);
        });
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

    /// <summary>Waits until this connection has no received envelope left to acknowledge, or <paramref name="timeout"/> passes.</summary>
    public async Task<bool> WaitForAcksAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Acks.Waiting > 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(5);
        }

        return true;
    }

    public async ValueTask DisposeAsync()
    {
        await Connection.DisposeAsync();
        await Acks.CompleteAsync();
    }
}
