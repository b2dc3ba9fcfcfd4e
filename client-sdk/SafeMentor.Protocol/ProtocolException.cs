namespace SafeMentor.Protocol;

/// <summary>
/// The one exception type for expected protocol failures on untrusted input (bad MAC, bad signature,
/// replay, too many skipped keys, malformed bytes). Misuse by the caller throws argument exceptions instead.
/// </summary>
public sealed class ProtocolException : Exception
{
    /// <summary>Creates an exception for <paramref name="error"/> with a short, content-free message.</summary>
    public ProtocolException(ProtocolError error)
        : base(Describe(error))
    {
        Error = error;
    }

    /// <summary>Creates an exception for <paramref name="error"/> with a message that adds context (never key material).</summary>
    public ProtocolException(ProtocolError error, string message)
        : base(message)
    {
        Error = error;
    }

    /// <summary>Parameterless constructor required by convention; carries <see cref="ProtocolError.MalformedState"/>.</summary>
    public ProtocolException()
        : this(ProtocolError.MalformedState)
    {
    }

    /// <summary>Creates an exception with a message; carries <see cref="ProtocolError.MalformedState"/>.</summary>
    public ProtocolException(string message)
        : this(ProtocolError.MalformedState, message)
    {
    }

    /// <summary>Creates an exception with a message and an inner exception; carries <see cref="ProtocolError.MalformedState"/>.</summary>
    public ProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
        Error = ProtocolError.MalformedState;
    }

    /// <summary>What went wrong, as a stable value.</summary>
    public ProtocolError Error { get; }

    private static string Describe(ProtocolError error) => error switch
    {
        ProtocolError.MessageTooShort => "The message is too short.",
        ProtocolError.MessageTooLarge => "The message is larger than the protocol allows.",
        ProtocolError.UnsupportedVersion => "The message uses an unsupported protocol version.",
        ProtocolError.UnknownMessageType => "The message type is unknown.",
        ProtocolError.InvalidLength => "A length in the message is invalid.",
        ProtocolError.DecryptionFailed => "The message could not be authenticated.",
        ProtocolError.InvalidPadding => "The message padding is invalid.",
        ProtocolError.DuplicateMessage => "The message was already received, or its key was discarded.",
        ProtocolError.TooManySkippedMessages => "The message would skip too many message keys.",
        ProtocolError.InvalidKeyAgreement => "A key agreement produced an all-zero output.",
        ProtocolError.InvalidSignature => "A signature did not verify.",
        ProtocolError.AccountIdMismatch => "The account id does not match the identity key.",
        ProtocolError.IdentityMismatch => "The message comes from a different identity than expected.",
        ProtocolError.UnknownSignedPrekey => "The signed prekey named by the message is unknown.",
        ProtocolError.UnknownOneTimePrekey => "The one-time prekey named by the message is unknown or already used.",
        ProtocolError.PrekeyFieldsMismatch => "The prekey message does not match its session.",
        ProtocolError.NoReceivingChain => "The message claims a receiving chain that does not exist.",
        ProtocolError.NoSendingChain => "The session cannot send before it has received a message.",
        ProtocolError.NoSession => "There is no session that could decrypt the message.",
        ProtocolError.ReservedPrekeyId => "The prekey id is reserved.",
        ProtocolError.MalformedState => "The stored state is malformed.",
        _ => "The protocol operation failed.",
    };
}
