using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using SafeMentor.Contracts;

namespace SafeMentor.Server.Accounts;

/// <summary>
/// Outstanding sign-in challenges, in memory only: 32 random bytes each, usable once, until they expire.
/// A restart forgets them, which only makes clients ask again.
/// </summary>
internal sealed class ChallengeStore(TimeProvider time, IOptions<AuthOptions> options)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _outstanding = new(StringComparer.Ordinal);

    /// <summary>A new challenge, or null when too many are outstanding.</summary>
    public ChallengeResponse? Issue()
    {
        var now = time.GetUtcNow();
        if (_outstanding.Count >= options.Value.MaxOutstandingChallenges)
        {
            foreach (var (key, expiresAt) in _outstanding)
            {
                if (expiresAt <= now)
                {
                    _outstanding.TryRemove(key, out _);
                }
            }

            if (_outstanding.Count >= options.Value.MaxOutstandingChallenges)
            {
                return null;
            }
        }

        var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(Limits.NonceBytes));
        var expires = now.AddSeconds(options.Value.ChallengeSeconds);
        _outstanding[nonce] = expires;
        return new ChallengeResponse(nonce, expires);
    }

    /// <summary>Takes the challenge out of the store; true only if it was outstanding and has not expired.</summary>
    public bool TryConsume(ReadOnlySpan<byte> nonce)
    {
        var key = Convert.ToBase64String(nonce);
        return _outstanding.TryRemove(key, out var expiresAt) && time.GetUtcNow() < expiresAt;
    }
}
