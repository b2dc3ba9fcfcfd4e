namespace SafeMentor.Server.Compliance;

/// <summary>The names of compliance views as <c>compliance.read</c> audit entries record them (their target).</summary>
internal static class ComplianceViews
{
    public const string Retention = "retention";
    public const string History = "retention-history";
    public const string Preview = "retention-preview";
    public const string Receipts = "deletion-receipts";
    public const string Enforcement = "enforcement-report";
    public const string Register = "register";
    public const string AuditExport = "audit-export";
    public const string PageLink = "page-link";
    public const string Page = "page";
    public const string PageVerification = "page-verification";
}
