using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Client;
using SafeMentor.Client.Api;
using SafeMentor.Client.Storage;
using SafeMentor.Contracts;

namespace SafeMentor.Client;

public sealed partial class SafeMentorClient
{
    private readonly Channel<(HubConnection Connection, EnvelopeDto Envelope)> _incoming = Channel.CreateUnbounded<(HubConnection, EnvelopeDto)>();
    private CancellationTokenSource? _running;
    private Task? _loops;
    private HubConnection? _connection;

    /// <summary>The connection changed state.</summary>
    public event EventHandler<ConnectionStateChangedEventArgs>? ConnectionStateChanged;

    /// <summary>The connection's state.</summary>
    public ConnectionState State { get; private set; } = ConnectionState.Disconnected;

    /// <summary>Called after a wire message has been saved durably and just before it is sent (tests only).</summary>
    internal Func<OutboxEntry, Task>? BeforeTransmit { get; set; }

    /// <summary>Called with every envelope as it arrives, before anything else (tests only).</summary>
    internal Action<EnvelopeDto>? OnEnvelope { get; set; }

    /// <summary>
    /// Connects to the relay and keeps connecting (backoff with jitter) until <see cref="StopAsync"/>: envelopes arrive,
    /// are stored, raise <see cref="MessageReceived"/> and are acknowledged; the outbox drains. Completes when the
    /// first connection is up, or when <paramref name="cancellationToken"/> gives up waiting (the loop goes on).
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_identity is null || !HasJoined)
        {
            throw new SafeMentorException(ClientErrorCodes.NotJoined, "Join a server with an invite first.");
        }

        if (_running is null)
        {
            _running = new CancellationTokenSource();
            var connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var token = _running.Token;
            _loops = Task.WhenAll(
                Task.Run(() => ConnectionLoopAsync(connected, token), CancellationToken.None),
                Task.Run(() => ReceiveLoopAsync(token), CancellationToken.None),
                Task.Run(() => OutboxLoopAsync(token), CancellationToken.None));
            _firstConnected = connected.Task;
            await DeleteExpiredHistoryAsync(cancellationToken).ConfigureAwait(false);
        }

        await _firstConnected!.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private Task? _firstConnected;

    /// <summary>
    /// Connects if needed, sends everything in the outbox, and receives until nothing has arrived for
    /// <paramref name="quiet"/> (the relay sends a connection its whole queue at once): for clients that connect,
    /// catch up and leave, such as the terminal client's commands.
    /// </summary>
    public async Task SyncAsync(TimeSpan quiet, CancellationToken cancellationToken = default)
    {
        await StartAsync(cancellationToken).ConfigureAwait(false);
        await WaitForOutboxEmptyAsync(cancellationToken).ConfigureAwait(false);
        var seen = Volatile.Read(ref _processed);
        var since = _time.GetTimestamp();
        while (true)
        {
            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
            var now = Volatile.Read(ref _processed);
            if (now != seen || Volatile.Read(ref _unprocessed) > 0)
            {
                seen = now;
                since = _time.GetTimestamp();
            }
            else if (_time.GetElapsedTime(since) >= quiet)
            {
                return;
            }
        }
    }

    private long _unprocessed;
    private long _processed;

    /// <summary>Stops connecting and closes the connection. What is in the outbox stays there for next time.</summary>
    public async Task StopAsync()
    {
        if (_running is null)
        {
            return;
        }

        await _running.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loops!.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }

        _running.Dispose();
        _running = null;
        _loops = null;
        SetState(ConnectionState.Disconnected);
    }

    /// <summary>Aborts the current connection as a network drop would (tests only); the loop reconnects.</summary>
    internal async Task DropConnectionAsync()
    {
        if (_connection is { } connection)
        {
            await connection.StopAsync().ConfigureAwait(false);
        }
    }

    private async Task ConnectionLoopAsync(TaskCompletionSource firstConnected, CancellationToken token)
    {
        var attempt = 0;
        while (!token.IsCancellationRequested)
        {
            SetState(ConnectionState.Connecting);
            var connection = BuildConnection(token);
            var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            connection.Closed += _ =>
            {
                closed.TrySetResult();
                return Task.CompletedTask;
            };
            try
            {
                await connection.StartAsync(token).ConfigureAwait(false);
                attempt = 0;
                _connection = connection;
                SetState(ConnectionState.Connected);
                firstConnected.TrySetResult();
                _outboxSignal.Release();
                _ = MaintainQuietlyAsync(token);
                await closed.Task.WaitAsync(token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                break;
            }
#pragma warning disable CA1031 // Any failure to connect is retried: the network, the server, a token.
            catch (Exception)
#pragma warning restore CA1031
            {
                // Try again after a pause.
            }
            finally
            {
                _connection = null;
                await connection.DisposeAsync().ConfigureAwait(false);
            }

            SetState(ConnectionState.Connecting);
            try
            {
                await Task.Delay(Backoff.Delay(++attempt, cap: _options.MaxReconnectDelay), token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private HubConnection BuildConnection(CancellationToken token)
    {
        var api = Api();
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(api.BaseAddress, Routes.Hub.TrimStart('/')), options =>
            {
                options.AccessTokenProvider = async () => await api.AccessTokenAsync(token).ConfigureAwait(false);
                _options.ConfigureHub?.Invoke(options);
            })
            .Build();
        connection.On<EnvelopeDto>(HubMethods.ReceiveEnvelope, envelope =>
        {
            Interlocked.Increment(ref _unprocessed);
            OnEnvelope?.Invoke(envelope);
            _incoming.Writer.TryWrite((connection, envelope));
        });
        connection.On<RelayStateDto>(HubMethods.RelayStateChanged, state =>
        {
            if (state.Open)
            {
                _outboxSignal.Release();
            }

            RelayStateChanged?.Invoke(this, new RelayStateChangedEventArgs(state));
        });
        return connection;
    }

    private async Task MaintainQuietlyAsync(CancellationToken token)
    {
        try
        {
            await MaintainPrekeysAsync(token).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Prekey upkeep is retried on the next connection; it must not break this one.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    private void SetState(ConnectionState state)
    {
        if (State != state)
        {
            State = state;
            ConnectionStateChanged?.Invoke(this, new ConnectionStateChangedEventArgs(state));
        }
    }

    private async Task OutboxLoopAsync(CancellationToken token)
    {
        var failures = 0;
        while (!token.IsCancellationRequested)
        {
            try
            {
                await _outboxSignal.WaitAsync(token).ConfigureAwait(false);
                while (_outboxSignal.CurrentCount > 0)
                {
                    await _outboxSignal.WaitAsync(token).ConfigureAwait(false);
                }

                if (_connection is not { State: HubConnectionState.Connected } connection)
                {
                    continue;
                }

                var drained = await DrainOutboxAsync(connection, token).ConfigureAwait(false);
                failures = drained ? 0 : failures + 1;
                if (!drained)
                {
                    await Task.Delay(Backoff.Delay(failures, cap: _options.MaxReconnectDelay), token).ConfigureAwait(false);
                    _outboxSignal.Release();
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // Whatever failed (a disposed connection, the disk), the outbox is kept and retried.
            catch (Exception)
#pragma warning restore CA1031
            {
                failures++;
                _outboxSignal.Release();
                await Task.Delay(Backoff.Delay(failures, cap: _options.MaxReconnectDelay), CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Sends the outbox in order with up to <see cref="SafeMentorClientOptions.SendWindow"/> calls in flight. Each
    /// entry's wire message is saved (with the session state) before its first send and then resent as it is.
    /// Returns false when something must be retried later.
    /// </summary>
    private async Task<bool> DrainOutboxAsync(HubConnection connection, CancellationToken token)
    {
        var sequence = _store.GetJson<Sequence>(RecordNames.Outbox) ?? new Sequence(0, 0);
        var inflight = new Queue<(OutboxEntry Entry, Task<SendResult> Call)>();
        var complete = true;
        for (var i = sequence.First; i < sequence.Next && complete; i++)
        {
            if (_store.GetJson<OutboxEntry>(RecordNames.OutboxItem(i)) is not { } entry)
            {
                continue;
            }

            try
            {
                entry = await SealAsync(entry, token).ConfigureAwait(false);
            }
            catch (SafeMentorException e)
            {
                complete = await SettleAsync(entry, e.Code).ConfigureAwait(false);
                continue;
            }

            if (BeforeTransmit is { } hook)
            {
                await hook(entry).ConfigureAwait(false);
            }

            inflight.Enqueue((entry, connection.InvokeAsync<SendResult>(HubMethods.Send, entry.EnvelopeId, entry.MentorshipId, entry.Recipient, entry.Wire!, token)));
            if (inflight.Count >= _options.SendWindow)
            {
                complete &= await CompleteAsync(inflight.Dequeue()).ConfigureAwait(false);
            }
        }

        while (inflight.Count > 0)
        {
            complete &= await CompleteAsync(inflight.Dequeue()).ConfigureAwait(false);
        }

        return complete;
    }

    private async Task<bool> CompleteAsync((OutboxEntry Entry, Task<SendResult> Call) sent)
    {
        try
        {
            await sent.Call.ConfigureAwait(false);
            return await SettleAsync(sent.Entry, null).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A lost connection, a refusal or a cancellation: the entry stays unless the refusal is final.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return await SettleAsync(sent.Entry, HubCode(e) ?? ClientErrorCodes.Offline).ConfigureAwait(false);
        }
    }

    /// <summary>Removes a sent or finally refused entry; keeps it for a retry otherwise. Returns whether nothing needs a retry.</summary>
    private async Task<bool> SettleAsync(OutboxEntry entry, string? code)
    {
        if (code is not null && !IsPermanent(code))
        {
            return false;
        }

        var changed = new List<ChatMessage>();
        await _stateGate.WaitAsync().ConfigureAwait(false);
        try
        {
            var sequence = _store.GetJson<Sequence>(RecordNames.Outbox) ?? new Sequence(0, 0);
            _store.Write(
                b =>
                {
                    b.Delete(RecordNames.OutboxItem(entry.Sequence));
                    var first = sequence.First;
                    while (first < sequence.Next && (first == entry.Sequence || _store.Get(RecordNames.OutboxItem(first)) is null))
                    {
                        first++;
                    }

                    b.PutJson(RecordNames.Outbox, sequence with { First = first });
                    if (entry.IsText)
                    {
                        SetStatus(b, entry.EnvelopeId, code is null ? MessageStatus.Sent : MessageStatus.Failed, changed);
                    }
                },
                durable: false); // Losing this only means one more resend, which the server answers from its record.
        }
        finally
        {
            _stateGate.Release();
        }

        foreach (var message in changed)
        {
            MessageStatusChanged?.Invoke(this, new MessageReceivedEventArgs(message));
        }

        return true;
    }

    /// <summary>Gives an entry its wire message: encrypts once, saving the new session state and the wire message durably first.</summary>
    private async Task<OutboxEntry> SealAsync(OutboxEntry entry, CancellationToken token)
    {
        if (entry.Wire is not null)
        {
            return entry;
        }

        await EnsureSessionAsync(entry.Recipient, token).ConfigureAwait(false);
        await _stateGate.WaitAsync(token).ConfigureAwait(false);
        try
        {
            var record = SessionFor(entry.Recipient);
            OutboxEntry? saved = null;
            try
            {
                record.Encrypt(entry.Payload, (state, wire) =>
                {
                    var stateCopy = state.ToArray();
                    saved = entry with { Wire = wire.ToArray() };
                    _store.Write(b =>
                    {
                        b.Put(RecordNames.Session(entry.Recipient), stateCopy);
                        b.PutJson(RecordNames.OutboxItem(entry.Sequence), saved);
                    });
                });
            }
            catch (Protocol.ProtocolException e)
            {
                throw new SafeMentorException(e);
            }

            return saved!;
        }
        catch (Exception e) when (e is not SafeMentorException and not OperationCanceledException)
        {
            ReloadState();
            throw;
        }
        finally
        {
            _stateGate.Release();
        }
    }
}
