using Microsoft.AspNetCore.SignalR;
using SafeMentor.Contracts;
using SafeMentor.Server.Accounts;
using SafeMentor.Server.Audit;
using SafeMentor.Server.Messaging;
using SafeMentor.Server.Storage;

namespace SafeMentor.Server.Mentorships;

/// <summary>
/// A coordinator suspends a member of their programme: the account's generation is raised and its devices signed out
/// (every token stops working, its hub connections close), and the relay of every mentorship it is a party to closes,
/// in any programme, with both parties told; the audit chain records it in the same write. Lifting the suspension (by a coordinator of the same programme) reopens
/// those relays whose consents still hold; the account signs in again. One write each, judged in its transaction.
/// </summary>
internal sealed class MemberSuspension(
    StorageWriter writer,
    AccountSecurity security,
    MentorshipRegistry registry,
    AuditTrail audit,
    IHubContext<RelayHub, IRelayClient> hub,
    TimeProvider time)
{
    public async Task<SuspensionOutcome> SuspendAsync(string programmeId, string accountId, string coordinatorId)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var result = await writer.WriteAsync(
            scope =>
            {
                var standing = AccountSecurity.Standing(scope, accountId);
                if (standing.SuspendedAt is not null)
                {
                    return new Change(SuspensionOutcome.Unchanged);
                }

                var suspended = new AccountStandingDocument { Id = accountId, Generation = standing.Generation + 1, SuspendedAt = now, SuspendedIn = programmeId };
                AccountSecurity.Save(scope, suspended);
                audit.Append(scope, AuditRecords.Suspension(programmeId, coordinatorId, accountId, suspended: true));
                return new Change(SuspensionOutcome.Done, suspended, AccountSecurity.DeleteSignIns(scope, accountId), Restage(scope, accountId));
            },
            Publish).ConfigureAwait(false);

        if (result.Outcome == SuspensionOutcome.Done)
        {
            security.RaiseRevoked(accountId, null);
            await NotifyAsync(result.Affected).ConfigureAwait(false);
        }

        return result.Outcome;
    }

    public async Task<SuspensionOutcome> ReinstateAsync(string programmeId, string accountId, string coordinatorId)
    {
        var result = await writer.WriteAsync(
            scope =>
            {
                var standing = AccountSecurity.Standing(scope, accountId);
                if (standing.SuspendedAt is null)
                {
                    return new Change(SuspensionOutcome.Unchanged);
                }

                if (standing.SuspendedIn != programmeId)
                {
                    return new Change(SuspensionOutcome.SuspendedElsewhere);
                }

                // The generation stays raised: tokens from before the suspension never work again.
                var reinstated = new AccountStandingDocument { Id = accountId, Generation = standing.Generation };
                AccountSecurity.Save(scope, reinstated);
                audit.Append(scope, AuditRecords.Suspension(programmeId, coordinatorId, accountId, suspended: false));
                return new Change(SuspensionOutcome.Done, reinstated, [], Restage(scope, accountId));
            },
            Publish).ConfigureAwait(false);

        if (result.Outcome == SuspensionOutcome.Done)
        {
            await NotifyAsync(result.Affected).ConfigureAwait(false);
        }

        return result.Outcome;
    }

    /// <summary>Inside the write: the account's active mentorships as the new standing makes them.</summary>
    private static List<MentorshipState> Restage(WriteScope scope, string accountId)
    {
        var affected = MentorshipStore.ActiveOf(scope, accountId).Select(m => MentorshipStore.StateOf(scope, m)).ToList();
        affected.ForEach(state => MentorshipRegistry.Stage(scope, state));
        return affected;
    }

    private void Publish(Change change)
    {
        if (change.Outcome == SuspensionOutcome.Done)
        {
            security.Published(change.Standing, signedOut: change.SignedOut);
            change.Affected.ForEach(registry.Publish);
        }
    }

    private async Task NotifyAsync(List<MentorshipState> affected)
    {
        foreach (var state in affected)
        {
            await hub.Clients.Users(state.Mentorship.MentorId, state.Mentorship.MenteeId).RelayStateChanged(state.ToRelayState()).ConfigureAwait(false);
        }
    }

    private sealed record Change(SuspensionOutcome Outcome, AccountStandingDocument? Standing = null, List<string>? SignedOut = null, List<MentorshipState>? AffectedStates = null)
    {
        public List<MentorshipState> Affected => AffectedStates ?? [];
    }
}

/// <summary>What a suspension or its lifting did.</summary>
internal enum SuspensionOutcome
{
    Done,
    Unchanged,
    SuspendedElsewhere,
}
