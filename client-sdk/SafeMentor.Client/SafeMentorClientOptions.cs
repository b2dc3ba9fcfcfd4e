using Microsoft.AspNetCore.Http.Connections.Client;
using SafeMentor.Client.Storage;

namespace SafeMentor.Client;

/// <summary>Where the store is, which server to use, and the SDK's tunables.</summary>
public sealed class SafeMentorClientOptions
{
    /// <summary>The store file (created on first use).</summary>
    public required string StorePath { get; init; }

    /// <summary>The relay, for example <c>http://127.0.0.1:5080</c>. When null, the server the store joined is used.</summary>
    public Uri? ServerUrl { get; init; }

    /// <summary>Argon2id cost for a <b>new</b> store; an existing store keeps the parameters it was made with.</summary>
    public KdfParameters Kdf { get; init; } = KdfParameters.Default;

    /// <summary>The clock (tests move it instead of sleeping).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>How many <c>Send</c> calls may be in flight on a connection (the server applies them in order).</summary>
    public int SendWindow { get; init; } = 16;

    /// <summary>Refill one-time prekeys on the server when fewer than this many are left.</summary>
    public int OneTimePrekeyThreshold { get; init; } = 20;

    /// <summary>How many one-time prekeys to keep on the server (at most 100 are uploaded at once).</summary>
    public int OneTimePrekeyTarget { get; init; } = 100;

    /// <summary>How often the signed prekey is replaced; the previous one is kept 30 days for late messages.</summary>
    public TimeSpan SignedPrekeyRotation { get; init; } = TimeSpan.FromDays(7);

    /// <summary>The longest wait between reconnection attempts (the waits grow exponentially, with jitter).</summary>
    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>An HTTP handler for the API (tests use an in-memory server); null for the default.</summary>
    public Func<HttpMessageHandler>? HttpHandlerFactory { get; init; }

    /// <summary>Adjusts the hub connection (transports, handler); null for the defaults (WebSockets first).</summary>
    public Action<HttpConnectionOptions>? ConfigureHub { get; init; }
}
