namespace SafeMentor.Server.Storage;

/// <summary>Collections of retention.</summary>
internal static partial class Collections
{
    /// <summary>Every version of every programme's retention policy. Id is "programmeId/version".</summary>
    public const string RetentionPolicies = "retention_policies";

    /// <summary>One deletion receipt per sweep. Id is "sw_" and 32 hex digits.</summary>
    public const string SweepReceipts = "sweep_receipts";
}
