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
        var storage = new StorageOptions { DataDirectory = StorageOptions.ResolveDataDirectory(configuration) };
        try
        {
            using var database = new Database(Options.Create(storage));
            var invite = new InviteService(database, TimeProvider.System, Options.Create(auth)).Mint(programmeId: null, Roles.Coordinator);
            FirstStartInvite.MarkIssued(database, invite);
            Print(invite);
            return 0;
        }
        catch (StorageUnavailableException e)
        {
            Console.Error.WriteLine(e.Message + " Stop the server first.");
            return 1;
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
