namespace SafeMentor.Protocol.Sessions;

/// <summary>
/// Makes a session record's new state and the wire message it just produced durable, before the wire message may
/// leave the device (docs/protocol.md, Save before send). It must not return until both would survive a crash;
/// throwing cancels the encryption and leaves the record unchanged.
/// </summary>
/// <param name="sessionState">The whole record after the encryption, as <see cref="SessionRecord.Serialize"/> writes it.</param>
/// <param name="wire">The wire message, to be stored with the outgoing message and resent as it is, never re-encrypted.</param>
public delegate void SaveBeforeSend(ReadOnlySpan<byte> sessionState, ReadOnlySpan<byte> wire);

/// <summary>An ephemeral key of a session the peer started, and the signed prekey its prekey messages named (null when not known).</summary>
internal sealed record SeenEphemeralKey(byte[] Key, uint? SignedPrekeyId);
