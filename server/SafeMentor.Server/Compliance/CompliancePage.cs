using System.Globalization;
using System.Net;
using System.Text;
using SafeMentor.Contracts;
using SafeMentor.Protocol.Audit;

namespace SafeMentor.Server.Compliance;

/// <summary>
/// The HTML of the compliance page: semantic, script-free, keyboard-usable (native links, buttons and a skip link),
/// tables with captions and header scopes, and colours with contrast above 7:1. Every value is HTML-encoded.
/// </summary>
internal static class CompliancePage
{
    public const string Stylesheet = """
        :root { color: #111; background: #fff; font: 16px/1.5 system-ui, sans-serif; }
        body { max-width: 70rem; margin: 0 auto; padding: 1rem; }
        a { color: #0a3d8f; } a:focus, button:focus { outline: 3px solid #0a3d8f; outline-offset: 2px; }
        .skip { position: absolute; left: -10000px; } .skip:focus { position: static; }
        table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; } caption { text-align: left; font-weight: bold; }
        th, td { border: 1px solid #555; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
        button { font: inherit; padding: 0.4rem 1rem; background: #0a3d8f; color: #fff; border: 2px solid #0a3d8f; border-radius: 4px; cursor: pointer; }
        .ok { color: #0b5d1e; font-weight: bold; } .bad { color: #8a1010; font-weight: bold; }
        code { word-break: break-all; }
        """;

    /// <summary>Everything the main page shows.</summary>
    internal sealed record Views(
        string ProgrammeName,
        string ProgrammeId,
        RetentionPolicyDto Policy,
        RetentionBoundsDto Bounds,
        IReadOnlyList<PolicyVersionDto> History,
        DeletionReceiptsResponse Receipts,
        EnforcementReportDto Enforcement,
        RegisterResponse Register,
        string ServerPublicKey);

    public static string SignIn(string token) => Document("Sign in", $"""
        <h1>Sign in to the compliance page</h1>
        <p>This link can be used once. Signing in starts a session of limited length for one programme.</p>
        <form method="post" action="{PageLinks.SignInPath}">
          <input type="hidden" name="token" value="{E(token)}">
          <button type="submit">Sign in</button>
        </form>
        """);

    public static string Message(string title, string heading, string text) => Document(title, $"<h1>{E(heading)}</h1>\n<p>{E(text)}</p>");

    public static string Render(Views v, AuditVerification? verification)
    {
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"<h1>Compliance: {E(v.ProgrammeName)}</h1>\n<p>Programme <code>{E(v.ProgrammeId)}</code>. Read-only. Every view of this page is recorded in the audit chain.</p>\n");
        html.Append("<nav aria-label=\"Sections\"><ul><li><a href=\"#settings\">Settings in force</a></li><li><a href=\"#enforcement\">Enforcement</a></li><li><a href=\"#receipts\">Deletion receipts</a></li><li><a href=\"#history\">Policy history</a></li><li><a href=\"#register\">Register</a></li><li><a href=\"#audit\">Audit chain</a></li></ul></nav>\n");

        html.Append("<section id=\"settings\" aria-labelledby=\"settings-h\"><h2 id=\"settings-h\">Settings in force and the server's bounds</h2>\n");
        html.Append("<table><caption>Retention policy version ").Append(v.Policy.Version).Append("</caption><thead><tr><th scope=\"col\">Setting</th><th scope=\"col\">In force</th><th scope=\"col\">Server's bounds</th></tr></thead><tbody>\n");
        Row(html, "Undelivered ciphertext kept on the server", Duration(v.Policy.UndeliveredRetentionMs), $"{Duration(v.Bounds.MinUndeliveredRetentionMs)} to {Duration(v.Bounds.MaxUndeliveredRetentionMs)}");
        Row(html, "History kept by clients", Duration(v.Policy.ClientHistoryRetentionMs), $"{Duration(v.Bounds.MinClientHistoryRetentionMs)} to {Duration(v.Bounds.MaxClientHistoryRetentionMs)}");
        Row(html, "Audit entries kept", Days(v.Policy.AuditRetentionDays), $"{Days(v.Bounds.MinAuditRetentionDays)} to {Days(v.Bounds.MaxAuditRetentionDays)}");
        html.Append("</tbody></table>\n");
        html.Append(CultureInfo.InvariantCulture, $"<p>Changed {Time(v.Policy.ChangedAt)} by <code>{E(v.Policy.ChangedBy)}</code>: {E(v.Policy.Reason)}. Message terms are those of ground-rules version {v.Policy.GroundRulesVersion}.</p></section>\n");

        var e = v.Enforcement;
        html.Append("<section id=\"enforcement\" aria-labelledby=\"enforcement-h\"><h2 id=\"enforcement-h\">Enforcement</h2>\n");
        html.Append(CultureInfo.InvariantCulture, $"<p id=\"overdue\" class=\"{(e.OverdueEnvelopes == 0 ? "ok" : "bad")}\">Overdue envelopes: <span data-testid=\"overdue-count\">{e.OverdueEnvelopes}</span></p>\n");
        html.Append(CultureInfo.InvariantCulture, $"<p>Overdue means older than the policy plus one sweep interval ({e.SweepIntervalMinutes} minutes); it must be zero. Due for the next sweep: {e.DueEnvelopes}. Queued now: {e.QueuedEnvelopes} envelopes, {e.QueuedBytes} bytes.</p>\n");
        html.Append("<table><caption>Queued envelopes by age</caption><thead><tr><th scope=\"col\">Age</th><th scope=\"col\">Envelopes</th><th scope=\"col\">Bytes</th></tr></thead><tbody>\n");
        foreach (var bucket in e.Buckets)
        {
            Row(html, bucket.Label, bucket.Envelopes.ToString(CultureInfo.InvariantCulture), bucket.Bytes.ToString(CultureInfo.InvariantCulture));
        }

        html.Append("</tbody></table></section>\n");

        var s = v.Receipts.Sweeps;
        html.Append("<section id=\"receipts\" aria-labelledby=\"receipts-h\"><h2 id=\"receipts-h\">Deletion receipts</h2>\n");
        html.Append(CultureInfo.InvariantCulture, $"<p>The sweeper runs every {s.IntervalMinutes} minutes. Last run: {(s.LastRunAt is { } last ? Time(last) : "none yet")}. Next run: {Time(s.NextRunAt)}.</p>\n");
        html.Append("<table><caption>Sweeps, newest first (this programme's counts, then the server's)</caption><thead><tr><th scope=\"col\">Receipt</th><th scope=\"col\">Started</th><th scope=\"col\">State</th><th scope=\"col\">Policy version</th><th scope=\"col\">Expired envelopes (bytes)</th><th scope=\"col\">Ended mentorships' envelopes</th><th scope=\"col\">Audit bodies removed</th><th scope=\"col\">Server totals</th><th scope=\"col\">File cleared</th></tr></thead><tbody>\n");
        foreach (var r in v.Receipts.Receipts)
        {
            var line = r.Programme;
            html.Append(CultureInfo.InvariantCulture, $"<tr><th scope=\"row\"><code>{E(r.ReceiptId)}</code></th><td>{Time(r.StartedAt)}</td><td>{E(r.State)}</td><td>{line?.PolicyVersion}</td><td>{line?.ExpiredEnvelopes} ({line?.ExpiredBytes})</td><td>{line?.EndedMentorshipEnvelopes}</td><td>{line?.AuditBodiesRemoved}</td><td>{r.Totals.ExpiredEnvelopes} expired, {r.Totals.EndedMentorshipEnvelopes} ended, {r.Totals.StaleOneTimeItems} stale</td><td>{(r.FileScrubbed ? "yes" : "no")}</td></tr>\n");
        }

        html.Append("</tbody></table></section>\n");

        html.Append("<section id=\"history\" aria-labelledby=\"history-h\"><h2 id=\"history-h\">Policy history</h2>\n");
        html.Append("<table><caption>Every version, oldest first</caption><thead><tr><th scope=\"col\">Version</th><th scope=\"col\">Changed</th><th scope=\"col\">By</th><th scope=\"col\">Reason</th><th scope=\"col\">Before</th><th scope=\"col\">After</th></tr></thead><tbody>\n");
        foreach (var h in v.History)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><th scope=\"row\">{h.Version}</th><td>{Time(h.ChangedAt)}</td><td><code>{E(h.ChangedBy)}</code></td><td>{E(h.Reason)}</td><td>{(h.Before is { } b ? Values(b) : "none")}</td><td>{Values(h.After)}</td></tr>\n");
        }

        html.Append("</tbody></table></section>\n");

        html.Append("<section id=\"register\" aria-labelledby=\"register-h\"><h2 id=\"register-h\">Consent and export register</h2>\n");
        html.Append("<table><caption>Consent statements, newest first</caption><thead><tr><th scope=\"col\">Mentorship</th><th scope=\"col\">Account</th><th scope=\"col\">Role</th><th scope=\"col\">Ground rules</th><th scope=\"col\">Decision</th><th scope=\"col\">Received</th></tr></thead><tbody>\n");
        foreach (var c in v.Register.Consents)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><th scope=\"row\"><code>{E(c.MentorshipId)}</code></th><td><code>{E(c.AccountId)}</code></td><td>{E(c.Role)}</td><td>{c.GroundRulesVersion}</td><td>{E(c.Decision)}</td><td>{Time(c.ReceivedAt)}</td></tr>\n");
        }

        html.Append("</tbody></table>\n<table><caption>Export receipts, newest first</caption><thead><tr><th scope=\"col\">Audit entry</th><th scope=\"col\">Mentorship</th><th scope=\"col\">Exporter</th><th scope=\"col\">Record hash</th><th scope=\"col\">Recorded</th></tr></thead><tbody>\n");
        foreach (var x in v.Register.Exports)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><th scope=\"row\">{x.AuditSeq}</th><td><code>{E(x.MentorshipId)}</code></td><td><code>{E(x.ExporterAccountId)}</code></td><td><code>{E(x.RecordHash)}</code></td><td>{Time(x.RecordedAt)}</td></tr>\n");
        }

        html.Append("</tbody></table></section>\n");

        html.Append("<section id=\"audit\" aria-labelledby=\"audit-h\"><h2 id=\"audit-h\">Audit chain</h2>\n");
        html.Append(CultureInfo.InvariantCulture, $"<p>The server signs checkpoints with the Ed25519 key <code id=\"server-key\">{E(v.ServerPublicKey)}</code>. Pin it, and verify an export offline with <code>safementor audit verify</code>.</p>\n");
        html.Append("<form method=\"get\" action=\"/compliance/verify\"><button type=\"submit\">Verify the audit chain</button></form>\n");
        if (verification is not null)
        {
            html.Append("<div id=\"verification\" role=\"status\" aria-live=\"polite\">\n");
            if (verification.IsValid)
            {
                html.Append(CultureInfo.InvariantCulture, $"<p class=\"ok\">Verified: {verification.EntriesChecked} entries, up to seq {verification.LastSeq}, covered by a checkpoint signed with the key above ({verification.WithheldBodies} bodies withheld: other programmes', or removed under retention or erasure).</p>\n");
            }
            else
            {
                var broken = verification.Break!;
                html.Append(CultureInfo.InvariantCulture, $"<p class=\"bad\">Verification failed at seq {broken.Seq} ({E(broken.Kind.ToString().ToLowerInvariant())}): {E(broken.Message)}</p>\n");
            }

            html.Append("</div>\n");
        }

        html.Append("</section>\n<form method=\"post\" action=\"/compliance/sign-out\"><button type=\"submit\">Sign out</button></form>\n");
        return Document($"Compliance: {v.ProgrammeName}", html.ToString());
    }

    private static string Document(string title, string main) => $"""
        <!DOCTYPE html>
        <html lang="en">
        <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{E(title)} - SafeMentor</title><link rel="stylesheet" href="/compliance/style.css"></head>
        <body><a class="skip" href="#main">Skip to content</a><main id="main">
        {main}
        </main></body>
        </html>
        """;

    private static void Row(StringBuilder html, string header, string a, string b)
        => html.Append(CultureInfo.InvariantCulture, $"<tr><th scope=\"row\">{E(header)}</th><td>{E(a)}</td><td>{E(b)}</td></tr>\n");

    private static string Values(PolicyValuesDto v) => E($"{Duration(v.UndeliveredRetentionMs)} undelivered, {Duration(v.ClientHistoryRetentionMs)} client history, {Days(v.AuditRetentionDays)} audit");

    private static string Duration(long ms)
    {
        var span = TimeSpan.FromMilliseconds(ms);
        return span.TotalDays >= 1 && span.TotalDays == Math.Floor(span.TotalDays)
            ? Days((int)span.TotalDays)
            : span.TotalHours >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalHours:0.##} hours") : string.Create(CultureInfo.InvariantCulture, $"{ms} ms");
    }

    private static string Days(int days) => days == 1 ? "1 day" : string.Create(CultureInfo.InvariantCulture, $"{days} days");

    private static string Time(DateTimeOffset time) => E(time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture));

    private static string E(string? text) => WebUtility.HtmlEncode(text ?? "");
}
