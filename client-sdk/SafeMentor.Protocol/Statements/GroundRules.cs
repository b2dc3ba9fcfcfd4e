using SafeMentor.Protocol.Primitives;

namespace SafeMentor.Protocol.Statements;

/// <summary>
/// One version of a programme's ground rules, and its canonical <c>groundRulesHash</c>, which consent
/// statements sign. The encoding follows the spec's conventions (label first, length-prefixed strings,
/// big-endian integers), so any change of text or terms changes the hash:
/// <code>
/// groundRulesHash = SHA-256( lbl("SafeMentor/v1/ground-rules") || str(programmeId) || u32(version) || str(text)
///                   || u64(undeliveredRetentionMs) || u64(clientHistoryRetentionMs) || u8(exportAllowed)
///                   || str(contactHours) || u32(expectedResponseHours) )
/// </code>
/// </summary>
public sealed record GroundRules
{
    internal const string Label = "SafeMentor/v1/ground-rules";

    /// <summary>Creates a ground-rules version; negative durations are misuse.</summary>
    public GroundRules(
        string programmeId,
        uint version,
        string text,
        long undeliveredRetentionMs,
        long clientHistoryRetentionMs,
        bool exportAllowed,
        string contactHours,
        uint expectedResponseHours)
    {
        ArgumentNullException.ThrowIfNull(programmeId);
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(contactHours);
        ArgumentOutOfRangeException.ThrowIfNegative(undeliveredRetentionMs);
        ArgumentOutOfRangeException.ThrowIfNegative(clientHistoryRetentionMs);
        ProgrammeId = programmeId;
        Version = version;
        Text = text;
        UndeliveredRetentionMs = undeliveredRetentionMs;
        ClientHistoryRetentionMs = clientHistoryRetentionMs;
        ExportAllowed = exportAllowed;
        ContactHours = contactHours;
        ExpectedResponseHours = expectedResponseHours;
    }

    /// <summary>The programme these rules belong to.</summary>
    public string ProgrammeId { get; }

    /// <summary>The version number; each edit is a new version.</summary>
    public uint Version { get; }

    /// <summary>The ground rules as the parties read them (at most 65535 UTF-8 bytes).</summary>
    public string Text { get; }

    /// <summary>How long undelivered ciphertext may wait on the server.</summary>
    public long UndeliveredRetentionMs { get; }

    /// <summary>How long clients keep conversation history.</summary>
    public long ClientHistoryRetentionMs { get; }

    /// <summary>Whether a party may export a record with the other party's signed consent.</summary>
    public bool ExportAllowed { get; }

    /// <summary>When the parties may expect to reach each other, as free text.</summary>
    public string ContactHours { get; }

    /// <summary>The expected response time, in hours.</summary>
    public uint ExpectedResponseHours { get; }

    /// <summary>The canonical encoding that is hashed.</summary>
    public byte[] ToCanonicalBytes() => new ByteBuilder()
        .Label(Label)
        .Str(ProgrammeId, nameof(ProgrammeId))
        .U32(Version)
        .Str(Text, nameof(Text))
        .U64((ulong)UndeliveredRetentionMs)
        .U64((ulong)ClientHistoryRetentionMs)
        .U8(ExportAllowed ? (byte)1 : (byte)0)
        .Str(ContactHours, nameof(ContactHours))
        .U32(ExpectedResponseHours)
        .ToArray();

    /// <summary><c>groundRulesHash</c>: SHA-256 of <see cref="ToCanonicalBytes"/>, 32 bytes.</summary>
    public byte[] ComputeHash() => Crypto.Sha256(ToCanonicalBytes());
}
