using SafeMentor.Contracts;
using SafeMentor.Protocol;
using SafeMentor.Protocol.Identity;

namespace SafeMentor.Server.Messaging;

/// <summary>
/// Shape checks on a send, never content: ids, length limits, and the outer layout of a protocol v1 wire
/// message (version byte, type byte, minimum length). The ciphertext itself is opaque to the server.
/// </summary>
internal static class EnvelopeShape
{
    private static readonly System.Buffers.SearchValues<char> s_idCharacters =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-");

    /// <summary>Null when the send is well formed, otherwise the refusal code.</summary>
    public static string? Check(string? envelopeId, string? mentorshipId, string? recipient, byte[]? ciphertext)
    {
        if (!IsEnvelopeId(envelopeId) || mentorshipId is null || mentorshipId.Length > 64
            || !AccountId.IsWellFormed(recipient) || ciphertext is null)
        {
            return ErrorCodes.Malformed;
        }

        if (ciphertext.Length > Limits.MaxEnvelopeBytes)
        {
            return ErrorCodes.TooLarge;
        }

        if (ciphertext.Length < ProtocolConstants.MinNormalMessageLength || ciphertext[0] != ProtocolConstants.Version)
        {
            return ErrorCodes.Malformed;
        }

        return ciphertext[1] switch
        {
            ProtocolConstants.MessageTypeNormal => null,
            ProtocolConstants.MessageTypePrekey when ciphertext.Length >= ProtocolConstants.MinPrekeyMessageLength => null,
            _ => ErrorCodes.Malformed,
        };
    }

    /// <summary>1 to 64 characters of <c>[A-Za-z0-9_-]</c>; a UUID or 128 random bits in base64url fit.</summary>
    public static bool IsEnvelopeId(string? id)
        => id is { Length: > 0 and <= Limits.MaxEnvelopeIdLength }
            && !id.AsSpan().ContainsAnyExcept(s_idCharacters);
}
