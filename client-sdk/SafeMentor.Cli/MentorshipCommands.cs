using System.CommandLine;
using SafeMentor.Client;
using Spectre.Console;

namespace SafeMentor.Cli;

/// <summary><c>mentorships</c>, <c>rules show|consent|withdraw</c>, <c>safety-number</c>.</summary>
internal static class MentorshipCommands
{
    public static Argument<string?> MentorshipArgument() => new("mentorship")
    {
        Description = "The mentorship id (ms_...); may be left out when you have exactly one active mentorship.",
        Arity = ArgumentArity.ZeroOrOne,
    };

    public static void Add(RootCommand root, CliEnvironment env)
    {
        var list = new Command("mentorships", "List your mentorships with your counterpart's pseudonym, consents and relay state.");
        list.SetAction((parse, ct) => CliApp.Guard(env, async () =>
        {
            await using var client = await Session.OpenAsync(parse, env, ct);
            var mentorships = await client.GetMentorshipsAsync(ct);
            if (Session.IsQuiet(parse))
            {
                foreach (var m in mentorships.Where(m => !m.Ended))
                {
                    env.Console.WriteLine(m.MentorshipId);
                }

                return 0;
            }

            var table = new Table().AddColumns("mentorship", "you are", "counterpart", "you consented", "they consented", "relay");
            foreach (var m in mentorships)
            {
                table.AddRow(m.MentorshipId, m.MyRole, Markup.Escape(m.CounterpartPseudonym), YesNo(m.IConsented), YesNo(m.CounterpartConsented), m.Ended ? "[grey]ended[/]" : m.RelayOpen ? "[green]open[/]" : "[yellow]closed[/]");
            }

            env.Console.Write(table);
            return 0;
        }));
        root.Subcommands.Add(list);

        var rules = new Command("rules", "Read, accept or withdraw from your mentorship's ground rules.");
        var showArgument = MentorshipArgument();
        var show = new Command("show", "Show the current ground rules, their terms and their hash (recomputed here).") { showArgument };
        show.SetAction((parse, ct) => CliApp.Guard(env, async () =>
        {
            await using var client = await Session.OpenAsync(parse, env, ct);
            var id = await ResolveAsync(client, parse.GetValue(showArgument), ct);
            var view = await client.GetGroundRulesAsync(id, ct);
            var r = view.Rules;
            env.Console.Write(new Panel(Markup.Escape(r.Text)) { Header = new PanelHeader($"Ground rules, version {r.Version}") });
            env.Console.MarkupLineInterpolated($"Contact hours: {r.ContactHours}; expected response within {r.ExpectedResponseHours} h");
            env.Console.MarkupLineInterpolated($"History kept on devices for {TimeSpan.FromMilliseconds(r.ClientHistoryRetentionMs).TotalDays:0.#} days; undelivered messages wait on the server up to {TimeSpan.FromMilliseconds(r.UndeliveredRetentionMs).TotalDays:0.#} days");
            env.Console.MarkupLineInterpolated($"Export with the other party's consent: {(r.ExportAllowed ? "allowed" : "not allowed")}");
            env.Console.MarkupLineInterpolated($"Hash: {view.ComputedHash} {(view.HashMatches ? "(matches the server's)" : "(DOES NOT MATCH the server's: do not consent)")}");
            return view.HashMatches ? 0 : 1;
        }));
        rules.Subcommands.Add(show);
        rules.Subcommands.Add(Decision("consent", "Sign your consent to the current ground rules (the relay opens once both parties consent).", env, (c, id, ct) => c.ConsentAsync(id, ct)));
        rules.Subcommands.Add(Decision("withdraw", "Withdraw your consent: nothing is relayed until you consent again.", env, (c, id, ct) => c.WithdrawConsentAsync(id, ct)));
        root.Subcommands.Add(rules);

        var safetyArgument = MentorshipArgument();
        var safety = new Command("safety-number", "Show the 60-digit safety number to compare with your counterpart out of band (in person, by phone).") { safetyArgument };
        safety.SetAction((parse, ct) => CliApp.Guard(env, async () =>
        {
            await using var client = await Session.OpenAsync(parse, env, ct);
            var id = await ResolveAsync(client, parse.GetValue(safetyArgument), ct);
            var number = await client.GetSafetyNumberAsync(id, ct);
            AccountCommands.Write(env, parse, number, $"Safety number: [bold]{number}[/]\nIf it differs from your counterpart's, someone is in between: do not continue.");
            return 0;
        }));
        root.Subcommands.Add(safety);
    }

    /// <summary>The mentorship named, or the only active one.</summary>
    public static async Task<string> ResolveAsync(SafeMentorClient client, string? given, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(given))
        {
            return given;
        }

        var active = (await client.GetMentorshipsAsync(cancellationToken)).Where(m => !m.Ended).ToList();
        return active.Count == 1
            ? active[0].MentorshipId
            : throw new CliException(active.Count == 0 ? "You have no active mentorship." : "You have several mentorships: name one (safementor mentorships lists them).");
    }

    private static Command Decision(string name, string description, CliEnvironment env, Func<SafeMentorClient, string, CancellationToken, Task<MentorshipInfo>> decide)
    {
        var argument = MentorshipArgument();
        var command = new Command(name, description) { argument };
        command.SetAction((parse, ct) => CliApp.Guard(env, async () =>
        {
            await using var client = await Session.OpenAsync(parse, env, ct);
            var id = await ResolveAsync(client, parse.GetValue(argument), ct);
            var after = await decide(client, id, ct);
            AccountCommands.Write(env, parse, after.RelayOpen ? "open" : "closed", after.RelayOpen
                ? "Recorded. Both of you have consented: the relay is [green]open[/]."
                : "Recorded. The relay is [yellow]closed[/] until both of you consent to the current ground rules.");
            return 0;
        }));
        return command;
    }

    private static string YesNo(bool value) => value ? "[green]yes[/]" : "[yellow]no[/]";
}
