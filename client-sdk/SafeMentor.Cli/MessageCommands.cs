using System.CommandLine;
using SafeMentor.Client;
using Spectre.Console;

namespace SafeMentor.Cli;

/// <summary><c>send</c>, <c>history</c>, <c>chat</c>, <c>sync</c>.</summary>
internal static class MessageCommands
{
    public static void Add(RootCommand root, CliEnvironment env)
    {
        var sendMentorship = new Argument<string>("mentorship") { Description = "The mentorship id (ms_...)." };
        var text = new Argument<string[]>("text") { Description = "The message (the words are joined with spaces).", Arity = ArgumentArity.OneOrMore };
        var send = new Command("send", "Send a message: it is stored and queued at once, and sent (exactly once) as soon as the server can be reached.") { sendMentorship, text };
        send.SetAction((parse, ct) => CliApp.Guard(env, async () =>
        {
            await using var client = await Session.OpenAsync(parse, env, ct);
            var message = await client.SendTextAsync(parse.GetValue(sendMentorship)!, string.Join(' ', parse.GetValue(text)!), ct);
            try
            {
                await Session.SyncAsync(client, parse, env, "Sending...", ct, receive: false);
            }
            catch (OperationCanceledException)
            {
                env.Console.MarkupLine("[yellow]The server did not answer in time: the message stays in the outbox and is sent next time.[/]");
                return 0;
            }

            AccountCommands.Write(env, parse, message.MessageId, "Sent.");
            return 0;
        }));
        root.Subcommands.Add(send);

        var historyMentorship = MentorshipCommands.MentorshipArgument();
        var offline = new Option<bool>("--offline") { Description = "Show what is stored here without contacting the server first." };
        var history = new Command("history", "Show the conversation stored on this device, oldest first (after fetching what is waiting).") { historyMentorship, offline };
        history.SetAction((parse, ct) => CliApp.Guard(env, async () =>
        {
            await using var client = await Session.OpenAsync(parse, env, ct);
            var id = await MentorshipCommands.ResolveAsync(client, parse.GetValue(historyMentorship), ct);
            if (!parse.GetValue(offline))
            {
                await Session.SyncAsync(client, parse, env, "Fetching new messages...", ct);
            }

            var names = await NamesAsync(client, ct);
            foreach (var m in await client.GetHistoryAsync(id))
            {
                Print(env, m, names);
            }

            return 0;
        }));
        root.Subcommands.Add(history);

        var chatMentorship = MentorshipCommands.MentorshipArgument();
        var chat = new Command("chat", "Talk live: messages arrive while you type. Type a line and Enter to send; /quit (or end of input) to leave.") { chatMentorship };
        chat.SetAction((parse, ct) => CliApp.Guard(env, async () =>
        {
            await using var client = await Session.OpenAsync(parse, env, ct);
            var id = await MentorshipCommands.ResolveAsync(client, parse.GetValue(chatMentorship), ct);
            var names = await NamesAsync(client, ct);
            var gate = new Lock();
            client.MessageReceived += (_, e) =>
            {
                if (e.Message.MentorshipId == id)
                {
                    lock (gate)
                    {
                        Print(env, e.Message, names);
                    }
                }
            };
            client.ConnectionStateChanged += (_, e) => env.Console.MarkupLineInterpolated($"[grey]({e.State.ToString().ToLowerInvariant()})[/]");
            client.IdentityKeyChanged += (_, e) => env.Console.MarkupLineInterpolated($"[red bold]WARNING: {e.Pseudonym}'s identity key changed. Compare safety numbers before you say anything confidential.[/]");
            foreach (var m in (await client.GetHistoryAsync(id)).TakeLast(20))
            {
                Print(env, m, names);
            }

            using var connect = CancellationTokenSource.CreateLinkedTokenSource(ct);
            connect.CancelAfter(TimeSpan.FromSeconds(30));
            try
            {
                await client.StartAsync(connect.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                env.Console.MarkupLine("[yellow]Offline: what you write is kept and sent once the server can be reached.[/]");
            }

            while (await env.Input.ReadLineAsync(ct) is { } line && line.Trim() != "/quit")
            {
                if (line.Trim().Length > 0)
                {
                    await client.SendTextAsync(id, line, ct);
                }
            }

            using var drain = CancellationTokenSource.CreateLinkedTokenSource(ct);
            drain.CancelAfter(TimeSpan.FromSeconds(15));
            try
            {
                await client.SyncAsync(TimeSpan.FromMilliseconds(300), drain.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                env.Console.MarkupLineInterpolated($"[yellow]{client.PendingOutboxCount} message(s) wait in the outbox and will be sent next time.[/]");
            }

            return 0;
        }));
        root.Subcommands.Add(chat);

        var sync = new Command("sync", "Send what waits in the outbox and fetch what waits on the server, then stop.");
        sync.SetAction((parse, ct) => CliApp.Guard(env, async () =>
        {
            await using var client = await Session.OpenAsync(parse, env, ct);
            var received = 0;
            client.MessageReceived += (_, _) => Interlocked.Increment(ref received);
            await Session.SyncAsync(client, parse, env, "Synchronising...", ct);
            AccountCommands.Write(env, parse, $"{received}", $"Up to date: {received} new message(s).");
            return 0;
        }));
        root.Subcommands.Add(sync);
    }

    private static async Task<Dictionary<string, string>> NamesAsync(SafeMentorClient client, CancellationToken cancellationToken)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal) { [client.AccountId!] = "you" };
        try
        {
            foreach (var m in await client.GetMentorshipsAsync(cancellationToken))
            {
                names[m.CounterpartAccountId] = m.CounterpartPseudonym;
            }
        }
        catch (SafeMentorException)
        {
            // Offline: account ids stand in for names.
        }

        return names;
    }

    private static void Print(CliEnvironment env, ChatMessage m, Dictionary<string, string> names)
    {
        var who = names.GetValueOrDefault(m.SenderAccountId, m.SenderAccountId);
        var status = m.Status switch
        {
            MessageStatus.Pending => " [yellow](queued)[/]",
            MessageStatus.Failed => " [red](not delivered)[/]",
            _ => "",
        };
        env.Console.MarkupLine($"[grey]{Session.Time(m.SentAtMs)}[/] [bold]{Markup.Escape(who)}[/]: {Markup.Escape(m.Text)}{status}");
    }
}
