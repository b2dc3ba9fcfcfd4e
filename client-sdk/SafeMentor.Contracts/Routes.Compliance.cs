namespace SafeMentor.Contracts;

/// <summary>Routes of retention, deletion evidence and the audit chain.</summary>
public static partial class Routes
{
    /// <summary>GET: the retention policy in force, the server's bounds and the sweep schedule. PUT: change the policy (coordinator).</summary>
    public const string Retention = "/v1/programmes/{programmeId}/retention";

    /// <summary>GET: every version of the programme's retention policy, oldest first.</summary>
    public const string RetentionHistory = "/v1/programmes/{programmeId}/retention/history";

    /// <summary>POST: what a proposed policy would make due for deletion now (a dry run).</summary>
    public const string RetentionPreview = "/v1/programmes/{programmeId}/retention/preview";

    /// <summary>GET: deletion receipts of the sweeps (compliance officer).</summary>
    public const string DeletionReceipts = "/v1/programmes/{programmeId}/compliance/receipts";

    /// <summary>GET: queued envelopes by age and the overdue count (compliance officer).</summary>
    public const string EnforcementReport = "/v1/programmes/{programmeId}/compliance/enforcement";

    /// <summary>GET: the consent and export register, metadata only (compliance officer).</summary>
    public const string ComplianceRegister = "/v1/programmes/{programmeId}/compliance/register";

    /// <summary>GET: the audit chain with a fresh signed checkpoint (compliance officer).</summary>
    public const string AuditExport = "/v1/programmes/{programmeId}/compliance/audit";

    /// <summary>GET: the server's audit checkpoint public key (anonymous).</summary>
    public const string AuditServerKey = "/v1/compliance/server-key";

    /// <summary>POST: a single-use sign-in link for the compliance page (compliance officer).</summary>
    public const string CompliancePageLinks = "/v1/compliance/page-links";
}
