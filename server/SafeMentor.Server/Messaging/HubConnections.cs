using Microsoft.AspNetCore.SignalR;
using SafeMentor.Server.Accounts;

namespace SafeMentor.Server.Messaging;

/// <summary>
/// The open hub connections of each account, with the signed-in device each was opened by: so that an account holds
/// at most <see cref="AuthOptions.MaxConnectionsPerAccount"/>, and so that a revocation (sign-out, sign-out everywhere,
/// suspension, a reused refresh token) closes the connections it concerns at once.
/// </summary>
internal sealed class HubConnections : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<(HubCallerContext Context, string? SignInId)>> _byAccount = new(StringComparer.Ordinal);
    private readonly AccountSecurity _security;

    public HubConnections(AccountSecurity security)
    {
        _security = security;
        _security.Revoked += Close;
    }

    /// <summary>Open connections of <paramref name="accountId"/>.</summary>
    public int CountOf(string accountId)
    {
        lock (_gate)
        {
            return _byAccount.TryGetValue(accountId, out var connections) ? connections.Count : 0;
        }
    }

    /// <summary>Registers a connection; false when the account already holds <paramref name="max"/>.</summary>
    public bool TryAdd(HubCallerContext context, string accountId, string? signInId, int max)
    {
        lock (_gate)
        {
            if (!_byAccount.TryGetValue(accountId, out var connections))
            {
                connections = [];
                _byAccount.Add(accountId, connections);
            }

            if (connections.Count >= max)
            {
                return false;
            }

            connections.Add((context, signInId));
            return true;
        }
    }

    public void Remove(HubCallerContext context, string accountId)
    {
        lock (_gate)
        {
            if (_byAccount.TryGetValue(accountId, out var connections)
                && connections.RemoveAll(c => c.Context.ConnectionId == context.ConnectionId) > 0
                && connections.Count == 0)
            {
                _byAccount.Remove(accountId);
            }
        }
    }

    public void Dispose() => _security.Revoked -= Close;

    /// <summary>Aborts the account's connections opened by <paramref name="signInId"/>, or all of them when it is null.</summary>
    private void Close(string accountId, string? signInId)
    {
        List<HubCallerContext> closing;
        lock (_gate)
        {
            closing = _byAccount.TryGetValue(accountId, out var connections)
                ? [.. connections.Where(c => signInId is null || c.SignInId == signInId).Select(c => c.Context)]
                : [];
        }

        foreach (var context in closing)
        {
            context.Abort();
        }
    }
}
