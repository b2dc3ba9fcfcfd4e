namespace SafeMentor.Cli;

/// <summary>The process entry point (not named Program, which the relay's tests also see).</summary>
internal static class EntryPoint
{
    public static Task<int> Main(string[] args) => CliApp.RunAsync(args, CliEnvironment.FromProcess());
}
