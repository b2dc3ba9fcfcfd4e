namespace SafeMentor.Protocol;

/// <summary>
/// The expected ways a protocol operation can fail on untrusted input. Each value is stable:
/// clients map it to user-facing text and tests assert on it.
/// </summary>
public enum ProtocolError
{
    /// <summary>The input is shorter than the smallest valid encoding.</summary>
    MessageTooShort = 1,

    /// <summary>The input is longer than the protocol's size limit.</summary>
    MessageTooLarge,

    /// <summary>The first byte names a protocol version this library does not speak.</summary>
    UnsupportedVersion,

    /// <summary>The second byte names a message type that does not exist.</summary>
    UnknownMessageType,

    /// <summary>A length is wrong: the ciphertext is not 16 bytes plus a multiple of 256, or a field is cut.</summary>
    InvalidLength,

    /// <summary>The AEAD tag did not verify: the header, ciphertext, keys or associated data were altered.</summary>
    DecryptionFailed,

    /// <summary>The decrypted bytes are not padded as the protocol requires.</summary>
    InvalidPadding,

    /// <summary>The message's key was already used or discarded: a replay or a duplicate.</summary>
    DuplicateMessage,

    /// <summary>Accepting the message would skip more than 1000 message keys in one chain.</summary>
    TooManySkippedMessages,

    /// <summary>A Diffie-Hellman output was all zero (a low-order public key).</summary>
    InvalidKeyAgreement,

    /// <summary>An Ed25519 signature did not verify under the signer's identity key.</summary>
    InvalidSignature,

    /// <summary>The account id is not the one derived from the identity key, or not the one asked for.</summary>
    AccountIdMismatch,

    /// <summary>A prekey message comes from a different identity than the peer's.</summary>
    IdentityMismatch,

    /// <summary>A prekey message names a signed prekey id this party does not hold.</summary>
    UnknownSignedPrekey,

    /// <summary>A prekey message names a one-time prekey id this party does not hold (already used, or never issued).</summary>
    UnknownOneTimePrekey,

    /// <summary>A later prekey message of a session carries X3DH fields that differ from the session's.</summary>
    PrekeyFieldsMismatch,

    /// <summary>The message claims the current receiving ratchet key although no receiving chain exists yet.</summary>
    NoReceivingChain,

    /// <summary>The session cannot send yet: a responder sends only after it has received.</summary>
    NoSendingChain,

    /// <summary>There is no session with the peer that could decrypt a normal message.</summary>
    NoSession,

    /// <summary>A one-time prekey id is the reserved value 0xFFFFFFFF.</summary>
    ReservedPrekeyId,

    /// <summary>Stored state could not be read back: it is truncated, corrupted or of an unknown format.</summary>
    MalformedState,
}
