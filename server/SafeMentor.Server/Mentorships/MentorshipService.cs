using Microsoft.AspNetCore.SignalR;
using SafeMentor.Contracts;
using SafeMentor.Server.Messaging;

namespace SafeMentor.Server.Mentorships;

/// <summary>
/// Everything that changes whether a mentorship's relay is open (matching, consent, new ground rules, ending),
/// with a cache of the resulting state for the send path. State changes and cache updates happen under one
/// lock, so a send never sees a state older than a change that has already been answered. Both parties are
/// told over the hub when their relay opens or closes.
/// </summary>
internal sealed class MentorshipService(
    MentorshipStore store,
    ProgrammeStore programmes,
    EnvelopeQueue envelopes,
    IHubContext<RelayHub, IRelayClient> hub,
    TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, MentorshipState> _cache = new(StringComparer.Ordinal);

    public MentorshipState? StateOf(string mentorshipId)
    {
        lock (_gate)
        {
            if (_cache.TryGetValue(mentorshipId, out var cached))
            {
                return cached;
            }

            if (store.Find(mentorshipId) is not { } mentorship)
            {
                return null;
            }

            var state = store.StateOf(mentorship);
            _cache[mentorshipId] = state;
            return state;
        }
    }

    /// <summary>Null when <paramref name="sender"/> may send to <paramref name="recipient"/> in the mentorship now, else the refusal code.</summary>
    public string? AdmitSend(string mentorshipId, string sender, string recipient)
    {
        var state = StateOf(mentorshipId);
        if (state is null || state.CounterpartOf(sender) != recipient)
        {
            return ErrorCodes.NotAParty;
        }

        return state.Ended ? ErrorCodes.MentorshipEnded : state.RelayOpen ? null : ErrorCodes.ConsentRequired;
    }

    /// <summary>Matches a mentor and a mentee; null when the mentee already has an active mentorship in the programme.</summary>
    public MentorshipState? Match(string programmeId, string mentorId, string menteeId)
    {
        var mentorship = new MentorshipDocument
        {
            Id = Ids.New(MentorshipStore.IdPrefix),
            ProgrammeId = programmeId,
            MentorId = mentorId,
            MenteeId = menteeId,
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        lock (_gate)
        {
            if (store.OfAccount(menteeId).Any(m => m.ProgrammeId == programmeId && m.MenteeId == menteeId && m.EndedAt is null))
            {
                return null;
            }

            store.Insert(mentorship);
        }

        return StateOf(mentorship.Id)!;
    }

    /// <summary>Stores a verified consent statement and tells both parties if the relay opened or closed.</summary>
    public async Task<MentorshipState> RecordConsentAsync(ConsentDocument consent)
    {
        MentorshipState before, after;
        lock (_gate)
        {
            before = StateOf(consent.MentorshipId)!;
            store.InsertConsent(consent);
            _cache.Remove(consent.MentorshipId);
            after = StateOf(consent.MentorshipId)!;
        }

        if (before.RelayOpen != after.RelayOpen)
        {
            await NotifyAsync(after).ConfigureAwait(false);
        }

        return after;
    }

    /// <summary>Publishes new ground rules: every open relay of the programme closes until both parties consent again.</summary>
    public async Task<ProgrammeDocument> PublishGroundRulesAsync(string programmeId, GroundRulesInput rules)
    {
        ProgrammeDocument programme;
        List<MentorshipState> affected;
        lock (_gate)
        {
            programme = programmes.PublishVersion(programmeId, rules, time.GetUtcNow().UtcDateTime);
            _cache.Clear();
            affected = [.. store.ActiveOfProgramme(programmeId).Select(m => StateOf(m.Id)!)];
        }

        foreach (var state in affected)
        {
            await NotifyAsync(state).ConfigureAwait(false);
        }

        return programme;
    }

    /// <summary>Ends a mentorship and deletes its queued envelopes; returns the new state and how many were deleted.</summary>
    public async Task<(MentorshipState State, int Purged)> EndAsync(string mentorshipId)
    {
        MentorshipState state;
        lock (_gate)
        {
            var mentorship = store.Find(mentorshipId)!;
            mentorship.EndedAt = time.GetUtcNow().UtcDateTime;
            store.Update(mentorship);
            _cache.Remove(mentorshipId);
            state = StateOf(mentorshipId)!;
        }

        // After the state change is visible, so no send admitted from now on can slip in behind the purge.
        var purged = envelopes.Purge(mentorshipId);
        await NotifyAsync(state).ConfigureAwait(false);
        return (state, purged);
    }

    private Task NotifyAsync(MentorshipState state)
        => hub.Clients.Users(state.Mentorship.MentorId, state.Mentorship.MenteeId).RelayStateChanged(state.ToRelayState());
}
