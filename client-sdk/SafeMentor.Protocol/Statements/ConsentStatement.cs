using SafeMentor.Protocol.Primitives;

namespace SafeMentor.Protocol.Statements;

/// <summary>Accepting or withdrawing consent to a ground-rules version.</summary>
public enum ConsentDecision : byte
{
    /// <summary>Consent withdrawn (0).</summary>
    Withdraw = 0,

    /// <summary>Ground rules accepted (1).</summary>
    Accept = 1,
}

/// <summary>
/// Consent to ground rules:
/// <c>lbl("SafeMentor/v1/consent") || str(mentorshipId) || groundRulesHash (32) || u8(decision) || u64(timestampMs)</c>.
/// </summary>
public sealed record ConsentStatement : ISignedStatement
{
    internal const string Label = "SafeMentor/v1/consent";

    /// <summary>Creates the statement; a hash that is not 32 bytes or a negative time is misuse.</summary>
    public ConsentStatement(string mentorshipId, byte[] groundRulesHash, ConsentDecision decision, long timestampMs)
    {
        ArgumentNullException.ThrowIfNull(mentorshipId);
        ArgumentNullException.ThrowIfNull(groundRulesHash);
        if (groundRulesHash.Length != 32)
        {
            throw new ArgumentException("A ground-rules hash is 32 bytes.", nameof(groundRulesHash));
        }

        if (decision is not (ConsentDecision.Accept or ConsentDecision.Withdraw))
        {
            throw new ArgumentOutOfRangeException(nameof(decision));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(timestampMs);
        MentorshipId = mentorshipId;
        GroundRulesHash = groundRulesHash.ToArray();
        Decision = decision;
        TimestampMs = timestampMs;
    }

    /// <summary>The mentorship consented to.</summary>
    public string MentorshipId { get; }

    /// <summary>The canonical hash of the ground-rules version.</summary>
    public byte[] GroundRulesHash { get; }

    /// <summary>Accept or withdraw.</summary>
    public ConsentDecision Decision { get; }

    /// <summary>When the statement was made, in ms since the Unix epoch.</summary>
    public long TimestampMs { get; }

    /// <inheritdoc />
    public byte[] ToSignedBytes() => new ByteBuilder()
        .Label(Label)
        .Str(MentorshipId, nameof(MentorshipId))
        .Bytes(GroundRulesHash)
        .U8((byte)Decision)
        .U64((ulong)TimestampMs)
        .ToArray();
}
