using Spectre.Console;

namespace SafeMentor.Cli;

/// <summary>What a command may touch besides its arguments: the console, standard input and environment variables.</summary>
internal sealed class CliEnvironment
{
    public required IAnsiConsole Console { get; init; }

    /// <summary>Where help and usage errors go (the same stream as <see cref="Console"/>).</summary>
    public required TextWriter Out { get; init; }

    public required TextReader Input { get; init; }

    public required Func<string, string?> Variable { get; init; }

    /// <summary>Whether a person can be asked (a passphrase, a confirmation) on this terminal.</summary>
    public bool Interactive { get; init; }

    public static CliEnvironment FromProcess() => new()
    {
        Console = AnsiConsole.Console,
        Out = System.Console.Out,
        Input = System.Console.In,
        Variable = Environment.GetEnvironmentVariable,
        Interactive = !System.Console.IsInputRedirected,
    };
}
