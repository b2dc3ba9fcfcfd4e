using System.CommandLine;
using SafeMentor.Contracts;
using Spectre.Console;

namespace SafeMentor.Cli;

/// <summary>For coordinators: <c>programme create|show</c>, <c>invite</c>, <c>match</c>, <c>end</c>, <c>members</c>.</summary>
internal static class CoordinatorCommands
{
    public static void Add(RootCommand root, CliEnvironment env)
    {
        var programme = new Command("programme", "Programmes (coordinators): create one with its ground rules, show one.");
        var name = new Argument<string>("name") { Description = "The programme's name." };
        var text = new Option<string?>("--text") { Description = "The ground rules' text." };
        var textFile = new Option<string?>("--rules-file") { Description = "A file holding the ground rules' text." };
        var exportAllowed = new Option<bool>("--export-allowed") { Description = "Allow a party to export a record with the other's signed consent." };
        var historyDays = new Option<int>("--history-days") { Description = "How long devices keep conversation history (default 90).", DefaultValueFactory = _ => 90 };
        var undeliveredDays = new Option<int>("--undelivered-days") { Description = "How long undelivered messages wait on the server (default 14).", DefaultValueFactory = _ => 14 };
        var contactHours = new Option<string>("--contact-hours") { Description = "When the parties may expect to reach each other (default \"Weekdays 9-17\").", DefaultValueFactory = _ => "Weekdays 9-17" };
        var responseHours = new Option<uint>("--response-hours") { Description = "Expected response time in hours (default 48).", DefaultValueFactory = _ => 48 };
        var create = new Command("create", "Create a programme with its first ground rules; you become its coordinator.") { name, text, textFile, exportAllowed, historyDays, undeliveredDays, contactHours, responseHours };
        create.SetAction((parse, ct) => CliApp.Guard(env, async () =>
        {
            var rulesText = parse.GetValue(text) ?? (parse.GetValue(textFile) is { } path ? await File.ReadAllTextAsync(path, ct) : null)
                ?? throw new CliException("Give the ground rules with --text or --rules-file.");
            var rules = new GroundRulesInput(
                rulesText,
                (long)TimeSpan.FromDays(parse.GetValue(undeliveredDays)).TotalMilliseconds,
                (long)TimeSpan.FromDays(parse.GetValue(historyDays)).TotalMilliseconds,
                parse.GetValue(exportAllowed),
                parse.GetValue(contactHours)!,
                parse.GetValue(responseHours));
            await using var client = await Session.OpenAsync(parse, env, ct);
            var created = await client.CreateProgrammeAsync(parse.GetValue(name)!, rules, ct);
            AccountCommands.Write(env, parse, created.ProgrammeId, $"Created programme [green]{created.ProgrammeId}[/] with ground rules version {created.GroundRules.Version}. Next: safementor invite {created.ProgrammeId} mentor");
            return 0;
        }));
        programme.Subcommands.Add(create);

        var showId = new Argument<string>("programme") { Description = "The programme id (pg_...)." };
        var show = new Command("show", "Show a programme and its current ground rules.") { showId };
        show.SetAction((parse, ct) => CliApp.Guard(env, async () =>
        {
            await using var client = await Session.OpenAsync(parse, env, ct);
            var p = await client.GetProgrammeAsync(parse.GetValue(showId)!, ct);
            env.Console.MarkupLineInterpolated($"{p.Name} ({p.ProgrammeId}), ground rules version {p.GroundRules.Version}, hash {p.GroundRules.Hash}");
            env.Console.Write(new Panel(Markup.Escape(p.GroundRules.Text)));
            return 0;
        }));
        programme.Subcommands.Add(show);
        root.Subcommands.Add(programme);

        var inviteProgramme = new Argument<string>("programme") { Description = "The programme id (pg_...)." };
        var role = new Argument<string>("role") { Description = "mentee, mentor, coordinator or compliance_officer." };
        role.AcceptOnlyFromAmong([.. Roles.All]);
        var invite = new Command("invite", "Mint a single-use invite into a programme with a role; hand the code to the person privately.") { inviteProgramme, role };
        invite.SetAction((parse, ct) => CliApp.Guard(env, async () =>
        {
            await using var client = await Session.OpenAsync(parse, env, ct);
            var code = await client.CreateInviteAsync(parse.GetValue(inviteProgramme)!, parse.GetValue(role)!, ct);
            AccountCommands.Write(env, parse, code.Code, $"Invite for a {code.Role} (single use, expires {code.ExpiresAt:yyyy-MM-dd}): [bold]{code.Code}[/]");
            return 0;
        }));
        root.Subcommands.Add(invite);

        var matchProgramme = new Argument<string>("programme") { Description = "The programme id (pg_...)." };
        var mentor = new Argument<string>("mentor") { Description = "The mentor's account id (sm_...) or pseudonym." };
        var mentee = new Argument<string>("mentee") { Description = "The mentee's account id (sm_...) or pseudonym." };
        var match = new Command("match", "Match a mentor and a mentee of the programme.") { matchProgramme, mentor, mentee };
        match.SetAction((parse, ct) => CliApp.Guard(env, async () =>
        {
            await using var client = await Session.OpenAsync(parse, env, ct);
            var programmeId = parse.GetValue(matchProgramme)!;
            var members = await client.GetMembersAsync(programmeId, ct);
            var mentorId = Resolve(members, parse.GetValue(mentor)!, Roles.Mentor);
            var menteeId = Resolve(members, parse.GetValue(mentee)!, Roles.Mentee);
            var created = await client.MatchAsync(programmeId, mentorId, menteeId, ct);
            AccountCommands.Write(env, parse, created.MentorshipId, $"Matched {Markup.Escape(created.MentorPseudonym)} with {Markup.Escape(created.MenteePseudonym)}: mentorship [green]{created.MentorshipId}[/]. Both must now consent to the ground rules.");
            return 0;
        }));
        root.Subcommands.Add(match);

        var endId = new Argument<string>("mentorship") { Description = "The mentorship id (ms_...)." };
        var end = new Command("end", "End a mentorship (either party may, without a reason); its queued messages are deleted on the server.") { endId };
        end.SetAction((parse, ct) => CliApp.Guard(env, async () =>
        {
            await using var client = await Session.OpenAsync(parse, env, ct);
            await client.EndMentorshipAsync(parse.GetValue(endId)!, ct);
            AccountCommands.Write(env, parse, "ended", "The mentorship has ended.");
            return 0;
        }));
        root.Subcommands.Add(end);

        var membersProgramme = new Argument<string>("programme") { Description = "The programme id (pg_...)." };
        var membersCommand = new Command("members", "List a programme's members and roles (coordinators).") { membersProgramme };
        membersCommand.SetAction((parse, ct) => CliApp.Guard(env, async () =>
        {
            await using var client = await Session.OpenAsync(parse, env, ct);
            var members = await client.GetMembersAsync(parse.GetValue(membersProgramme)!, ct);
            var table = new Table().AddColumns("account", "pseudonym", "role");
            foreach (var m in members)
            {
                table.AddRow(m.AccountId, Markup.Escape(m.Pseudonym), m.Role);
            }

            env.Console.Write(table);
            return 0;
        }));
        root.Subcommands.Add(membersCommand);
    }

    private static string Resolve(List<MemberDto> members, string given, string role)
    {
        if (given.StartsWith("sm_", StringComparison.Ordinal))
        {
            return given;
        }

        var found = members.Where(m => m.Role == role && string.Equals(m.Pseudonym, given, StringComparison.Ordinal)).Select(m => m.AccountId).Distinct().ToList();
        return found.Count == 1
            ? found[0]
            : throw new CliException(found.Count == 0 ? $"No {role} called \"{given}\" in the programme." : $"Several {role}s are called \"{given}\": use the account id.");
    }
}
