using System.Globalization;
using Microsoft.Extensions.Options;
using SafeMentor.Contracts;
using SafeMentor.Server.Storage;

namespace SafeMentor.Server.Accounts;

/// <summary>
/// <c>invite --role coordinator</c>: mints a server coordinator invite into the data folder and prints it, without
/// starting the web host. Run it while the server is stopped: the data folder is locked by the running server.
/// </summary>
internal static class InviteCommand
{
    public static bool IsInvocation(string[] args) => args.Length > 0 && args[0] == "invite";

    public static int Run(IConfiguration configuration, string[] args)
    {
        if (args is not ["invite", "--role", Roles.Coordinator, ..])
        {
            Console.Error.WriteLine("Usage: SafeMentor.Server invite --role coordinator [--SafeMentor:DataDirectory=<folder>]");
            Console.Error.WriteLine("Programme invites (mentee, mentor, coordinator, compliance_officer) are minted by a programme coordinator through the API.");
            return 2;
        }

        var auth = configuration.GetSection(AuthOptions.SectionName).Get<AuthOptions>() ?? new AuthOptions();
        try
        {
            using var logging = LoggerFactory.Create(_ => { });
            using var database = new Database(FileMedium.Open(StorageOptions.ResolveDataDirectory(configuration)), []);
            using var writer = new StorageWriter(database, new ThrowOnStorageFailure(), Options.Create(new StorageWriterOptions()), logging.CreateLogger<StorageWriter>());
            var invite = FirstStartInvite.MintMarkedAsync(new InviteService(writer, TimeProvider.System, Options.Create(auth))).GetAwaiter().GetResult();
            Print(invite);
            return 0;
        }
        catch (StorageUnavailableException e)
        {
            Console.Error.WriteLine(e.Message + " Stop the server first.");
            return 1;
        }
    }

    /// <summary>For the command, which owns no server: a storage failure ends it with the error.</summary>
    private sealed class ThrowOnStorageFailure : IStorageFailure
    {
        public void Stop(Exception error)
        {
            Console.Error.WriteLine($"Storage error: {error.Message}");
            Environment.Exit(ExitOnStorageFailure.ExitCode);
        }
    }

    /// <summary>Writes the invite to the console only: it is a secret and must not reach the log files.</summary>
    public static void Print(InviteResponse invite)
    {
        Console.Out.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"SafeMentor {invite.Role} invite (single use, expires {invite.ExpiresAt:u}): {invite.Code}"));
        Console.Out.Flush();
    }
}
