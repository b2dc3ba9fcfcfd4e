using SafeMentor.Protocol;

namespace SafeMentor.Client;

/// <summary>
/// The one exception the SDK raises for expected failures. <see cref="Code"/> is a server error code
/// (<see cref="Contracts.ErrorCodes"/>), a client code (<see cref="ClientErrorCodes"/>), or
/// <see cref="ClientErrorCodes.Protocol"/> with <see cref="ProtocolError"/> set. Misuse (null arguments, bad
/// options) throws argument exceptions instead.
/// </summary>
public sealed class SafeMentorException : Exception
{
    /// <summary>Creates an exception with a stable code and a message for people.</summary>
    public SafeMentorException(string code, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Code = code;
    }

    /// <summary>Wraps a protocol failure.</summary>
    public SafeMentorException(ProtocolException protocolException)
        : base(protocolException?.Message, protocolException)
    {
        ArgumentNullException.ThrowIfNull(protocolException);
        Code = ClientErrorCodes.Protocol;
        ProtocolError = protocolException.Error;
    }

    /// <summary>Parameterless constructor required by convention.</summary>
    public SafeMentorException()
        : this(Contracts.ErrorCodes.Unavailable, "The operation failed.")
    {
    }

    /// <summary>Creates an exception with a message; the code is <c>unavailable</c>.</summary>
    public SafeMentorException(string message)
        : this(Contracts.ErrorCodes.Unavailable, message)
    {
    }

    /// <summary>Creates an exception with a message and an inner exception; the code is <c>unavailable</c>.</summary>
    public SafeMentorException(string message, Exception innerException)
        : this(Contracts.ErrorCodes.Unavailable, message, innerException)
    {
    }

    /// <summary>The stable, machine-readable code.</summary>
    public string Code { get; }

    /// <summary>The protocol's error, when <see cref="Code"/> is <see cref="ClientErrorCodes.Protocol"/>.</summary>
    public ProtocolError? ProtocolError { get; }

    /// <summary>The HTTP status of a server refusal, when there was one.</summary>
    public int? HttpStatus { get; init; }
}

/// <summary>Codes the SDK itself raises, besides the server's <see cref="Contracts.ErrorCodes"/>.</summary>
public static class ClientErrorCodes
{
    /// <summary>The passphrase does not open the store.</summary>
    public const string WrongPassphrase = "wrong_passphrase";

    /// <summary>The file is not a SafeMentor store, or was altered.</summary>
    public const string StoreCorrupt = "store_corrupt";

    /// <summary>The store holds no identity yet (create or join first).</summary>
    public const string NoIdentity = "no_identity";

    /// <summary>The store already holds an identity.</summary>
    public const string IdentityExists = "identity_exists";

    /// <summary>The identity has not joined a server yet.</summary>
    public const string NotJoined = "not_joined";

    /// <summary>The server could not be reached.</summary>
    public const string Offline = "offline";

    /// <summary>A protocol check failed; see <see cref="SafeMentorException.ProtocolError"/>.</summary>
    public const string Protocol = "protocol";

    /// <summary>The ground rules the server shows do not hash to the hash it names; nothing was signed.</summary>
    public const string GroundRulesHashMismatch = "ground_rules_hash_mismatch";

    /// <summary>No valid, unexpired export consent from the counterpart covers the export.</summary>
    public const string ExportConsentRequired = "export_consent_required";

    /// <summary>No such export request.</summary>
    public const string UnknownExportRequest = "unknown_export_request";

    /// <summary>The mentorship is not known to this client (list mentorships first).</summary>
    public const string UnknownMentorship = "unknown_mentorship";

    /// <summary>A text is empty or too long to send.</summary>
    public const string InvalidText = "invalid_text";
}
