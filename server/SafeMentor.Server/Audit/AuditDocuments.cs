using System.Globalization;

namespace SafeMentor.Server.Audit;

/// <summary>
/// One link of the chain. <see cref="Id"/> is the sequence number. The hash covers the body only through
/// <see cref="BodyHash"/>; <see cref="Withheld"/> says why the body is gone when it is (retention or erasure).
/// </summary>
internal sealed class AuditEntryDocument
{
    public long Id { get; set; }
    public long TimeMs { get; set; }
    public string Action { get; set; } = "";
    public byte[] BodyHash { get; set; } = [];
    public byte[] PrevHash { get; set; } = [];
    public byte[] Hash { get; set; } = [];
    public string? Withheld { get; set; }
}

/// <summary>
/// The body of an entry: programme, actor, target, settings before and after. Never content, keys or pseudonyms.
/// <see cref="RetentionKey"/> (programme, then time as 16 hex digits) orders a programme's bodies by age, so
/// retention deletes an index range.
/// </summary>
internal sealed class AuditBodyDocument
{
    public long Id { get; set; }
    public string ProgrammeId { get; set; } = "";
    public string Actor { get; set; } = "";
    public string Target { get; set; } = "";
    public string Before { get; set; } = "";
    public string After { get; set; } = "";
    public string RetentionKey { get; set; } = "";
    public List<string> Subjects { get; set; } = [];

    public static string RetentionKeyOf(string programmeId, long timeMs) => programmeId + "/" + timeMs.ToString("x16", CultureInfo.InvariantCulture);
}

/// <summary>That an entry's body names an account. Id is "accountId/seq as 16 hex digits".</summary>
internal sealed class AuditSubjectDocument
{
    public string Id { get; set; } = "";
    public long Seq { get; set; }

    public static string PrefixOf(string accountId) => accountId + "/";

    public static string IdOf(string accountId, long seq) => PrefixOf(accountId) + seq.ToString("x16", CultureInfo.InvariantCulture);
}

/// <summary>A signed checkpoint. Id is the sequence number of the head it covers (0 for the empty chain).</summary>
internal sealed class AuditCheckpointDocument
{
    public long Id { get; set; }
    public byte[] HeadHash { get; set; } = [];
    public long TimeMs { get; set; }
    public byte[] Signature { get; set; } = [];
}

/// <summary>Why an entry's body is no longer stored.</summary>
internal static class WithheldReasons
{
    /// <summary>The programme's audit retention period passed.</summary>
    public const string Retention = "retention";

    /// <summary>The body named an account that was erased.</summary>
    public const string Erasure = "erasure";

    /// <summary>In an export only: the body belongs to another programme.</summary>
    public const string OtherProgramme = "other_programme";
}
