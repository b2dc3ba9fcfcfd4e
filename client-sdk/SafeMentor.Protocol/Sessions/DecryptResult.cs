namespace SafeMentor.Protocol.Sessions;

/// <summary>What a successful decryption yields.</summary>
/// <param name="Payload">The application payload, unpadded.</param>
/// <param name="StartedSession">Whether this message started a new session (a first prekey message with a new EK).</param>
/// <param name="ConsumedOneTimePrekeyId">The one-time prekey that this message used up and that was deleted from the prekey store, if any.</param>
public sealed record DecryptResult(byte[] Payload, bool StartedSession, uint? ConsumedOneTimePrekeyId)
{
    /// <summary>The peer's verified identity, from the X3DH fields of a message that started a session; null otherwise.</summary>
    public Identity.PublicIdentity? PeerIdentity { get; init; }
}
