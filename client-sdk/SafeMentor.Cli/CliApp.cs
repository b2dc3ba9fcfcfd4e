using System.CommandLine;
using SafeMentor.Client;
using Spectre.Console;

namespace SafeMentor.Cli;

/// <summary>
/// The command tree. Global options (every command has them): <c>--server</c>, <c>--store</c>,
/// <c>--passphrase-file</c> and <c>--quiet</c>, with environment fallbacks; the passphrase itself is never an argument.
/// </summary>
internal static class CliApp
{
    public static readonly Option<string?> Server = new("--server")
    {
        Description = "The relay's URL (default: $SAFEMENTOR_SERVER, else the server the store joined, else http://127.0.0.1:5080).",
        Recursive = true,
    };

    public static readonly Option<string?> Store = new("--store")
    {
        Description = "The encrypted store file (default: $SAFEMENTOR_STORE, else ~/.safementor/store.db).",
        Recursive = true,
    };

    public static readonly Option<string?> PassphraseFile = new("--passphrase-file")
    {
        Description = "A file whose first line is the store's passphrase (default: $SAFEMENTOR_PASSPHRASE_FILE, then $SAFEMENTOR_PASSPHRASE, then a prompt).",
        Recursive = true,
    };

    public static readonly Option<bool> Quiet = new("--quiet", "-q")
    {
        Description = "Print only the essential value (an id, a code, a hash), for scripts.",
        Recursive = true,
    };

    public static RootCommand Build(CliEnvironment env)
    {
        var root = new RootCommand("safementor: end-to-end encrypted mentoring conversations, consented exports and their verification.");
        root.Options.Add(Server);
        root.Options.Add(Store);
        root.Options.Add(PassphraseFile);
        root.Options.Add(Quiet);
        AccountCommands.Add(root, env);
        MentorshipCommands.Add(root, env);
        MessageCommands.Add(root, env);
        ExportCommands.Add(root, env);
        CoordinatorCommands.Add(root, env);
        root.Subcommands.Add(Audit.AuditVerifyCommand.Create(env.Console));
        return root;
    }

    public static async Task<int> RunAsync(string[] args, CliEnvironment env)
    {
        var root = Build(env);
        var config = new InvocationConfiguration
        {
            Output = env.Out,
            Error = env.Out,
        };
        return await root.Parse(args).InvokeAsync(config).ConfigureAwait(false);
    }

    /// <summary>Runs a command body; expected failures become a sentence and exit code 1.</summary>
    public static async Task<int> Guard(CliEnvironment env, Func<Task<int>> body)
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (SafeMentorException e)
        {
            env.Console.MarkupLineInterpolated($"[red]error:[/] {ErrorText.Explain(e.Code)} ([grey]{e.Code}[/])");
            if (e.Message.Length > 0 && e.Code is not ClientErrorCodes.WrongPassphrase)
            {
                env.Console.MarkupLineInterpolated($"[grey]{e.Message}[/]");
            }

            return 1;
        }
        catch (CliException e)
        {
            env.Console.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
            return 1;
        }
        catch (OperationCanceledException)
        {
            env.Console.MarkupLine("[red]error:[/] timed out; anything written stays in the outbox and is sent next time.");
            return 1;
        }
    }
}

/// <summary>A usage problem the command explains in words.</summary>
internal sealed class CliException : Exception
{
    public CliException(string message)
        : base(message)
    {
    }

    public CliException()
    {
    }

    public CliException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
