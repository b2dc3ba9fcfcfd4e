using SafeMentor.Contracts;
using SafeMentor.Server.Storage;

namespace SafeMentor.Server.Accounts;

/// <summary>
/// On the very first start, mints a coordinator invite and prints it to the console (never to the log
/// files: the code is a secret). A marker written in the same change as the invite makes this happen once.
/// </summary>
internal sealed class FirstStartInvite(Database database, InviteService invites) : IHostedService
{
    private const string MarkerId = "first_start_invite_issued";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (database.Collection<MetaDocument>(Collections.Meta).FindById(MarkerId) is null)
        {
            InviteCommand.Print(await MintMarkedAsync(invites).ConfigureAwait(false));
        }
    }

    /// <summary>Mints a server coordinator invite and records, in the same change, that one exists.</summary>
    public static Task<InviteResponse> MintMarkedAsync(InviteService invites)
        => invites.MintAsync(programmeId: null, Roles.Coordinator, scope => scope.Collection<MetaDocument>(Collections.Meta).Upsert(new MetaDocument
        {
            Id = MarkerId,
            Value = "issued",
        }));

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
