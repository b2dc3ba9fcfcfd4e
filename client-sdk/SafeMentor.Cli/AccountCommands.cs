using System.CommandLine;
using Spectre.Console;

namespace SafeMentor.Cli;

/// <summary><c>init</c>, <c>join</c>, <c>whoami</c>.</summary>
internal static class AccountCommands
{
    public static void Add(RootCommand root, CliEnvironment env)
    {
        var init = new Command("init", "Create the encrypted store and a new identity (keys never leave this device).");
        init.SetAction((parse, ct) => CliApp.Guard(env, async () =>
        {
            await using var client = await Session.OpenAsync(parse, env, ct);
            var id = await client.CreateIdentityAsync();
            Write(env, parse, id, $"Created identity [green]{id}[/]. Next: safementor join <invite>.");
            return 0;
        }));

        var invite = new Argument<string>("invite") { Description = "The invite code (smi_...) from your coordinator, or the server's first-start coordinator invite." };
        var pseudonym = new Option<string?>("--pseudonym") { Description = "The name others see; nothing about you. Default: a generated one such as \"Quiet Heron 42\"." };
        var join = new Command("join", "Join the server with an invite (creates an identity if the store has none), sign in and upload prekeys.") { invite, pseudonym };
        join.SetAction((parse, ct) => CliApp.Guard(env, async () =>
        {
            await using var client = await Session.OpenAsync(parse, env, ct);
            var account = await client.JoinAsync(parse.GetValue(invite)!, parse.GetValue(pseudonym), ct);
            Write(env, parse, account.AccountId, $"Joined as [green]{Markup.Escape(account.Pseudonym)}[/] ({account.AccountId}).");
            foreach (var m in account.Memberships)
            {
                if (!Session.IsQuiet(parse))
                {
                    env.Console.MarkupLineInterpolated($"  {m.Role} in {m.ProgrammeId}");
                }
            }

            return 0;
        }));

        var whoami = new Command("whoami", "Show this store's account: id, pseudonym, roles, server.");
        whoami.SetAction((parse, ct) => CliApp.Guard(env, async () =>
        {
            await using var client = await Session.OpenAsync(parse, env, ct);
            if (client.AccountId is null)
            {
                throw new CliException("This store has no identity yet: safementor join <invite>.");
            }

            if (Session.IsQuiet(parse))
            {
                env.Console.WriteLine(client.AccountId);
                return 0;
            }

            var account = await client.WhoAmIAsync(ct);
            var table = new Table().AddColumns("", "");
            table.AddRow("account", account.AccountId);
            table.AddRow("pseudonym", Markup.Escape(account.Pseudonym));
            table.AddRow("server", Markup.Escape(client.ServerUrl?.ToString() ?? ""));
            table.AddRow("may create programmes", account.CanCreateProgrammes ? "yes" : "no");
            foreach (var m in account.Memberships)
            {
                table.AddRow("role", $"{m.Role} in {m.ProgrammeId}");
            }

            env.Console.Write(table);
            return 0;
        }));

        root.Subcommands.Add(init);
        root.Subcommands.Add(join);
        root.Subcommands.Add(whoami);
    }

    /// <summary>Prints the plain value when quiet, the sentence otherwise.</summary>
    public static void Write(CliEnvironment env, ParseResult parse, string value, string markup)
    {
        if (Session.IsQuiet(parse))
        {
            env.Console.WriteLine(value);
        }
        else
        {
            env.Console.MarkupLine(markup);
        }
    }
}
