namespace SafeMentor.Server.Audit;

/// <summary>The actions the audit chain records, as they appear in entries (docs/compliance.md lists what each body holds).</summary>
internal static class AuditActions
{
    public const string PolicyChanged = "retention.policy_changed";
    public const string ConsentAccepted = "consent.accepted";
    public const string ConsentWithdrawn = "consent.withdrawn";
    public const string Matched = "mentorship.matched";
    public const string Ended = "mentorship.ended";
    public const string Suspended = "account.suspended";
    public const string Reinstated = "account.reinstated";
    public const string ExportRecorded = "export.recorded";
    public const string AccountErased = "account.erased";
    public const string SweepCompleted = "retention.sweep_completed";
    public const string ComplianceRead = "compliance.read";

    /// <summary>The actor of what the server does by itself (sweeps).</summary>
    public const string ServerActor = "server";
}
