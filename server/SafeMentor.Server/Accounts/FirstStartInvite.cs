using SafeMentor.Contracts;
using SafeMentor.Server.Storage;

namespace SafeMentor.Server.Accounts;

/// <summary>
/// On the very first start, mints a coordinator invite and prints it to the console (never to the log
/// files: the code is a secret). A marker in the database makes this happen once.
/// </summary>
internal sealed class FirstStartInvite(Database database, InviteService invites) : IHostedService
{
    private const string MarkerId = "first_start_invite_issued";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (database.Collection<MetaDocument>(Collections.Meta).FindById(MarkerId) is null)
        {
            var invite = invites.Mint(programmeId: null, Roles.Coordinator);
            MarkIssued(database, invite);
            InviteCommand.Print(invite);
        }

        return Task.CompletedTask;
    }

    /// <summary>Records that a server coordinator invite exists, so the first start does not mint another.</summary>
    public static void MarkIssued(Database database, InviteResponse invite)
        => database.Collection<MetaDocument>(Collections.Meta).Upsert(new MetaDocument
        {
            Id = MarkerId,
            Value = invite.ExpiresAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        });

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
