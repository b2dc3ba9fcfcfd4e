using System.Text;
using Spectre.Console;

namespace SafeMentor.Cli.Tests.Infrastructure;

/// <summary>Runs the terminal client in this process, with its own console, input and environment.</summary>
public static class CliRunner
{
    public const string Passphrase = "a long passphrase only I know";

    public static async Task<(int Exit, string Output)> RunAsync(IReadOnlyDictionary<string, string?> environment, string input, params string[] args)
    {
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = 200;
        var env = new CliEnvironment
        {
            Console = console,
            Out = output,
            Input = new StringReader(input),
            Variable = name => environment.TryGetValue(name, out var value) ? value : null,
        };
        var exit = await CliApp.RunAsync(args, env);
        return (exit, output.ToString());
    }

    /// <summary>The environment of one person: their store, the test server, a cheap key derivation.</summary>
    public static Dictionary<string, string?> Person(Uri server, string folder, string name) => new(StringComparer.Ordinal)
    {
        ["SAFEMENTOR_SERVER"] = server.ToString(),
        ["SAFEMENTOR_STORE"] = Path.Combine(folder, name + ".db"),
        ["SAFEMENTOR_PASSPHRASE"] = Passphrase,
        ["SAFEMENTOR_KDF_MEMORY_KIB"] = "1024",
        ["SAFEMENTOR_KDF_ITERATIONS"] = "1",
    };

    public static string NewFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "safementor-cli-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>The repository root (where SafeMentor.sln is), above the test binaries.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SafeMentor.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("SafeMentor.sln not found above the test binaries.");
    }

    public static string Utf8(byte[] bytes) => Encoding.UTF8.GetString(bytes);
}
