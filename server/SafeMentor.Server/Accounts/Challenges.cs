using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using SafeMentor.Contracts;

namespace SafeMentor.Server.Accounts;

/// <summary>
/// Sign-in challenges that cost nothing until answered. A challenge is 32 bytes (the size the protocol's auth
/// statement signs): its expiry (u64, Unix milliseconds) and 8 random bytes, then the first 16 bytes of an
/// HMAC-SHA256 of those 16 bytes. Issuing one stores nothing, so no number of requests can fill a table and lock
/// others out. What is remembered, until it expires, is only each challenge already answered, so that it is used once.
/// </summary>
/// <remarks>
/// The MAC key is made when the server starts and never leaves memory. The set of answered challenges lives in memory
/// too; a key that outlived the process would let an answer seen before a restart be replayed after it. A restart
/// therefore forgets outstanding challenges, which only makes clients ask again. Memory is bounded by the rate limits
/// on the anonymous endpoints: at most their rate times the challenge lifetime.
/// </remarks>
internal sealed class Challenges : IDisposable
{
    private const int PayloadBytes = 16;

    private readonly TimeProvider _time;
    private readonly TimeSpan _lifetime;
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private readonly ConcurrentDictionary<UInt128, long> _answered = new();
    private long _nextSweepMs;

    public Challenges(TimeProvider time, IOptions<AuthOptions> options)
    {
        _time = time;
        _lifetime = TimeSpan.FromSeconds(options.Value.ChallengeSeconds);
    }

    /// <summary>Challenges answered and remembered until they expire.</summary>
    public int Remembered => _answered.Count;

    public ChallengeResponse Issue()
    {
        var expires = _time.GetUtcNow() + _lifetime;
        Span<byte> nonce = stackalloc byte[Limits.NonceBytes];
        BinaryPrimitives.WriteInt64BigEndian(nonce, expires.ToUnixTimeMilliseconds());
        RandomNumberGenerator.Fill(nonce[8..PayloadBytes]);
        Tag(nonce[..PayloadBytes], nonce[PayloadBytes..]);
        return new ChallengeResponse(Convert.ToBase64String(nonce), expires);
    }

    /// <summary>
    /// Uses up a challenge: true only if the server issued it, it has not expired and it was not answered before.
    /// A wrong answer uses the challenge up too (callers consume before they verify).
    /// </summary>
    public bool TryConsume(ReadOnlySpan<byte> nonce)
    {
        if (nonce.Length != Limits.NonceBytes)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[Limits.NonceBytes - PayloadBytes];
        Tag(nonce[..PayloadBytes], expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, nonce[PayloadBytes..]))
        {
            return false;
        }

        var nowMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var expiresMs = BinaryPrimitives.ReadInt64BigEndian(nonce);
        if (nowMs >= expiresMs)
        {
            return false;
        }

        Sweep(nowMs);
        return _answered.TryAdd(BinaryPrimitives.ReadUInt128BigEndian(nonce), expiresMs);
    }

    public void Dispose() => CryptographicOperations.ZeroMemory(_key);

    private void Tag(ReadOnlySpan<byte> payload, Span<byte> tag)
    {
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_key, payload, mac);
        mac[..tag.Length].CopyTo(tag);
    }

    /// <summary>Forgets expired answers, at most once per challenge lifetime.</summary>
    private void Sweep(long nowMs)
    {
        var next = Interlocked.Read(ref _nextSweepMs);
        if (nowMs < next || Interlocked.CompareExchange(ref _nextSweepMs, nowMs + (long)_lifetime.TotalMilliseconds, next) != next)
        {
            return;
        }

        foreach (var (key, expiresMs) in _answered)
        {
            if (expiresMs <= nowMs)
            {
                _answered.TryRemove(key, out _);
            }
        }
    }
}
