using System.CommandLine;
using System.Globalization;
using SafeMentor.Client;
using SafeMentor.Client.Exports;
using Spectre.Console;

namespace SafeMentor.Cli;

/// <summary><c>export request|requests|approve|decline|create</c> and <c>verify</c>.</summary>
internal static class ExportCommands
{
    public static void Add(RootCommand root, CliEnvironment env)
    {
        var export = new Command("export", "Consented exports: ask your counterpart, approve or decline a request, create the signed record.");

        var requestMentorship = new Argument<string>("mentorship") { Description = "The mentorship id (ms_...)." };
        var from = new Option<string?>("--from") { Description = "Start of the range, ISO 8601 (default: 30 days ago)." };
        var to = new Option<string?>("--to") { Description = "End of the range, ISO 8601 (default: one hour from now)." };
        var purpose = new Option<string>("--purpose") { Description = "Why you export, as your counterpart will read it.", Required = true };
        var recipient = new Option<string>("--recipient") { Description = "Who will receive the record.", Required = true };
        var expires = new Option<int>("--expires-days") { Description = "How many days the consent may be used (default 7).", DefaultValueFactory = _ => 7 };
        var request = new Command("request", "Ask your counterpart, over the encrypted channel, to consent to an export.") { requestMentorship, from, to, purpose, recipient, expires };
        request.SetAction((parse, ct) => CliApp.Guard(env, async () =>
        {
            await using var client = await Session.OpenAsync(parse, env, ct);
            var now = DateTimeOffset.UtcNow;
            var info = await client.RequestExportAsync(
                parse.GetValue(requestMentorship)!,
                Time(parse.GetValue(from), now.AddDays(-30)),
                Time(parse.GetValue(to), now.AddHours(1)),
                parse.GetValue(purpose)!,
                parse.GetValue(recipient)!,
                now.AddDays(parse.GetValue(expires)).ToUnixTimeMilliseconds(),
                ct);
            await Session.SyncAsync(client, parse, env, "Sending the request...", ct, receive: false);
            AccountCommands.Write(env, parse, info.RequestId, $"Asked for consent (request {info.RequestId}). Your counterpart approves with: safementor export approve {info.RequestId}");
            return 0;
        }));
        export.Subcommands.Add(request);

        var listMentorship = MentorshipCommands.MentorshipArgument();
        var list = new Command("requests", "List export requests (fetching new ones first). With --quiet: the ids of requests waiting for your answer.") { listMentorship };
        list.SetAction((parse, ct) => CliApp.Guard(env, async () =>
        {
            await using var client = await Session.OpenAsync(parse, env, ct);
            await Session.SyncAsync(client, parse, env, "Fetching requests...", ct);
            var requests = await client.GetExportRequestsAsync(parse.GetValue(listMentorship));
            if (Session.IsQuiet(parse))
            {
                foreach (var r in requests.Where(r => r.Incoming && r.Status == ExportRequestStatus.Pending))
                {
                    env.Console.WriteLine(r.RequestId);
                }

                return 0;
            }

            var table = new Table().AddColumns("request", "from", "range", "purpose", "recipient", "expires", "status");
            foreach (var r in requests)
            {
                table.AddRow(r.RequestId, r.Incoming ? "counterpart" : "you", $"{Session.Time(r.FromMs)} to {Session.Time(r.ToMs)}", Markup.Escape(r.Purpose), Markup.Escape(r.Recipient), Session.Time(r.ExpiresMs), r.Status.ToString().ToLowerInvariant());
            }

            env.Console.Write(table);
            return 0;
        }));
        export.Subcommands.Add(list);

        var approveId = new Argument<string>("request") { Description = "The request id (from safementor export requests)." };
        var yes = new Option<bool>("--yes") { Description = "Approve without asking (for scripts); otherwise you are shown the terms and asked." };
        var approve = new Command("approve", "Sign your export consent for a request of your counterpart (only ever when you approve).") { approveId, yes };
        approve.SetAction((parse, ct) => CliApp.Guard(env, async () =>
        {
            await using var client = await Session.OpenAsync(parse, env, ct);
            var id = parse.GetValue(approveId)!;
            var pending = (await client.GetExportRequestsAsync()).FirstOrDefault(r => r.RequestId == id && r.Incoming)
                ?? throw new SafeMentorException(ClientErrorCodes.UnknownExportRequest, $"No export request {id} from your counterpart (safementor export requests).");
            if (!parse.GetValue(yes))
            {
                env.Console.MarkupLineInterpolated($"Your counterpart asks to export {Session.Time(pending.FromMs)} to {Session.Time(pending.ToMs)} for \"{pending.Purpose}\", to be given to \"{pending.Recipient}\", until {Session.Time(pending.ExpiresMs)}.");
                if (!env.Interactive || !await env.Console.ConfirmAsync("Sign your consent?", defaultValue: false, ct))
                {
                    env.Console.MarkupLine("Not approved: nothing was signed.");
                    return 1;
                }
            }

            await client.ApproveExportAsync(id, ct);
            await Session.SyncAsync(client, parse, env, "Sending your consent...", ct, receive: false);
            AccountCommands.Write(env, parse, id, "Consent signed and sent.");
            return 0;
        }));
        export.Subcommands.Add(approve);

        var declineId = new Argument<string>("request") { Description = "The request id." };
        var decline = new Command("decline", "Decline a request of your counterpart; nothing is signed.") { declineId };
        decline.SetAction((parse, ct) => CliApp.Guard(env, async () =>
        {
            await using var client = await Session.OpenAsync(parse, env, ct);
            await client.DeclineExportAsync(parse.GetValue(declineId)!, ct);
            await Session.SyncAsync(client, parse, env, "Sending your answer...", ct, receive: false);
            AccountCommands.Write(env, parse, parse.GetValue(declineId)!, "Declined.");
            return 0;
        }));
        export.Subcommands.Add(decline);

        var createMentorship = new Argument<string>("mentorship") { Description = "The mentorship id (ms_...)." };
        var requestOption = new Option<string?>("--request") { Description = "Which approved request to use (default: the latest valid one)." };
        var output = new Option<string>("--out") { Description = "Output path without extension: writes <out>.json (the signed record) and <out>.md (a readable rendering).", DefaultValueFactory = _ => "session-record" };
        var create = new Command("create", "Create the signed record of the consented range from this device's history, and file its receipt (a hash, never content) with the server.") { createMentorship, requestOption, output };
        create.SetAction((parse, ct) => CliApp.Guard(env, async () =>
        {
            await using var client = await Session.OpenAsync(parse, env, ct);
            await Session.SyncAsync(client, parse, env, "Fetching the latest messages and answers...", ct);
            ExportRecord? record = null;
            if (Session.IsQuiet(parse))
            {
                record = await client.CreateExportAsync(parse.GetValue(createMentorship)!, parse.GetValue(requestOption), ct);
            }
            else
            {
                await env.Console.Status().StartAsync("Building, signing and filing the receipt...", async _ =>
                    record = await client.CreateExportAsync(parse.GetValue(createMentorship)!, parse.GetValue(requestOption), ct));
            }

            var path = parse.GetValue(output)!;
            await File.WriteAllTextAsync(path + ".json", record!.ToJson(), ct);
            await File.WriteAllTextAsync(path + ".md", record.ToMarkdown(), ct);
            AccountCommands.Write(env, parse, record.RecordHash, $"Wrote {Markup.Escape(path)}.json and {Markup.Escape(path)}.md: {record.Messages.Count} message(s), record hash {record.RecordHash}.");
            return 0;
        }));
        export.Subcommands.Add(create);
        root.Subcommands.Add(export);

        var file = new Argument<string>("file") { Description = "An export record (.json)." };
        var verify = new Command("verify", "Check an export record offline: signatures, consents, range, expiry and content hash. Exit code 0 only when valid.") { file };
        verify.SetAction((parse, ct) => CliApp.Guard(env, async () =>
        {
            var json = await File.ReadAllTextAsync(parse.GetValue(file)!, ct);
            ExportVerification? result = null;
            if (Session.IsQuiet(parse))
            {
                result = ExportVerifier.Verify(json);
            }
            else
            {
                await env.Console.Status().StartAsync("Verifying...", _ =>
                {
                    result = ExportVerifier.Verify(json);
                    return Task.CompletedTask;
                });
            }

            if (result!.IsValid)
            {
                var r = result.Record!;
                AccountCommands.Write(env, parse, "valid", $"[green]Valid.[/] {r.Messages.Count} message(s) of {Markup.Escape(r.MentorshipId)}, exported by {Markup.Escape(r.Exporter.Pseudonym)} ({r.Exporter.AccountId}) with the consent of {Markup.Escape(r.Counterpart.Pseudonym)} ({r.Counterpart.AccountId}) for \"{Markup.Escape(r.ExportConsent.Purpose)}\"; record hash {r.RecordHash}.");
                return 0;
            }

            AccountCommands.Write(env, parse, "invalid", "[red]NOT valid:[/]");
            foreach (var problem in result.Problems)
            {
                env.Console.MarkupLineInterpolated($"  - {problem}");
            }

            return 1;
        }));
        root.Subcommands.Add(verify);
    }

    private static long Time(string? value, DateTimeOffset fallback)
    {
        if (value is null)
        {
            return fallback.ToUnixTimeMilliseconds();
        }

        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
            ? parsed.ToUnixTimeMilliseconds()
            : throw new CliException($"\"{value}\" is not a date; use ISO 8601, such as 2026-01-31 or 2026-01-31T18:00:00Z.");
    }
}
