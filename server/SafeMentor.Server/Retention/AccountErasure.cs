using Microsoft.AspNetCore.SignalR;
using SafeMentor.Contracts;
using SafeMentor.Server.Accounts;
using SafeMentor.Server.Audit;
using SafeMentor.Server.Keys;
using SafeMentor.Server.Mentorships;
using SafeMentor.Server.Messaging;
using SafeMentor.Server.Storage;

namespace SafeMentor.Server.Retention;

/// <summary>
/// The right to erasure: an account deletes itself in one change. Its identity keys, pseudonym, roles and prekeys
/// are deleted; every mentorship it is a party to ends and loses its queued envelopes (both directions); in
/// mentorships, consents and the audit chain the account id is replaced by a random tombstone id, consent
/// signatures are dropped (without the key they prove nothing), and the bodies of audit entries that named the
/// account are withheld. The chain keeps a tombstone entry with counts only. Afterwards the deleted bytes are
/// cleared from the database file, as after a sweep.
/// </summary>
internal sealed class AccountErasure(
    StorageWriter writer,
    EnvelopeQueue queue,
    MentorshipRegistry registry,
    AuditTrail audit,
    AccountSecurity security,
    IHubContext<RelayHub, IRelayClient> hub,
    TimeProvider time)
{
    /// <summary>Erases the account; null when it does not exist (any more).</summary>
    public async Task<AccountErasureResponse?> EraseAsync(string accountId)
    {
        var now = time.GetUtcNow();
        var result = await writer.WriteAsync(
            scope => Erase(scope, accountId, now.UtcDateTime),
            erased =>
            {
                if (erased is null)
                {
                    return;
                }

                security.Published(signedOut: erased.SignedOut);
                security.ForgetStanding(accountId);
                foreach (var (before, after, purged) in erased.Mentorships)
                {
                    registry.Publish(after);
                    // Keyed by the parties' real ids, which only the state before the erasure still has.
                    queue.Purged(before, purged);
                }
            }).ConfigureAwait(false);

        if (result is null)
        {
            return null;
        }

        // The deleted keys, pseudonym and ciphertext leave the log and the data file now, not at the next checkpoint.
        await writer.CheckpointAsync().ConfigureAwait(false);

        // Its tokens stopped working when the erasure was published; its hub connections close now.
        security.RaiseRevoked(accountId, null);
        foreach (var (before, after, _) in result.Mentorships.Where(m => !m.Before.Ended))
        {
            var counterpart = before.CounterpartOf(accountId)!;
            await hub.Clients.User(counterpart).RelayStateChanged(after.ToRelayState()).ConfigureAwait(false);
        }

        return new AccountErasureResponse(result.Tombstone, now, result.Counts.MentorshipsEnded, result.Counts.EnvelopesDeleted, result.Counts.PrekeysDeleted);
    }

    private Erased? Erase(WriteScope scope, string accountId, DateTime now)
    {
        var accounts = scope.Collection<AccountDocument>(Collections.Accounts);
        if (accounts.FindById(accountId) is null)
        {
            return null;
        }

        var tombstone = Ids.New("er_");
        var memberships = scope.Collection<MembershipDocument>(Collections.Memberships);
        var roles = memberships.Find(m => m.AccountId == accountId).Select(m => m.Id).ToList();
        roles.ForEach(id => memberships.Delete(id));

        var prekeys = scope.Collection<OneTimePrekeyDocument>(Collections.OneTimePrekeys);
        var oneTime = prekeys.Find(k => k.AccountId == accountId).Select(k => k.Id).ToList();
        oneTime.ForEach(id => prekeys.Delete(id));
        var signed = scope.Collection<SignedPrekeyDocument>(Collections.SignedPrekeys).Delete(accountId) ? 1 : 0;

        var mentorshipCollection = scope.Collection<MentorshipDocument>(Collections.Mentorships);
        var consents = scope.Collection<ConsentDocument>(Collections.Consents);
        var changed = new List<(MentorshipState Before, MentorshipState After, List<string> Purged)>();
        var ended = 0;
        var envelopes = 0;
        foreach (var mentorship in mentorshipCollection.Find(m => m.MentorId == accountId || m.MenteeId == accountId).ToList())
        {
            var before = registry.Get(scope, mentorship.Id)!;
            var purged = EnvelopeQueue.Purge(scope, mentorship.Id);
            envelopes += purged.Count;
            if (mentorship.EndedAt is null)
            {
                ended++;
                mentorship.EndedAt = now;
                audit.Append(scope, AuditRecords.Ended(mentorship.ProgrammeId, mentorship.Id, AuditActions.ServerActor, purged.Count));
            }

            mentorship.MentorId = mentorship.MentorId == accountId ? tombstone : mentorship.MentorId;
            mentorship.MenteeId = mentorship.MenteeId == accountId ? tombstone : mentorship.MenteeId;
            mentorshipCollection.Update(mentorship);
            var after = before with { Mentorship = mentorship };
            MentorshipRegistry.Stage(scope, after);
            changed.Add((before, after, purged));

            foreach (var consent in consents.Find(c => c.MentorshipId == mentorship.Id).Where(c => c.AccountId == accountId).ToList())
            {
                consent.AccountId = tombstone;
                consent.Signature = [];
                consents.Update(consent);
            }
        }

        // Signed-in devices and the account's standing (token generation, suspension) go with it.
        var signedOut = AccountSecurity.DeleteSignIns(scope, accountId);
        scope.Collection<AccountStandingDocument>(SecurityCollections.Standings).Delete(accountId);
        var withheld = AuditTrail.Withhold(scope, AuditTrail.NamingAccount(scope, accountId), WithheldReasons.Erasure);
        accounts.Delete(accountId);
        var counts = new ErasureCounts(ended, envelopes, oneTime.Count + signed, roles.Count, withheld);
        audit.Append(scope, AuditRecords.Erased(tombstone, counts));
        return new Erased(tombstone, counts, changed, signedOut);
    }

    private sealed record Erased(string Tombstone, ErasureCounts Counts, List<(MentorshipState Before, MentorshipState After, List<string> Purged)> Mentorships, List<string> SignedOut);
}
