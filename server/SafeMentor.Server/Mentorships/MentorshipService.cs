using Microsoft.AspNetCore.SignalR;
using SafeMentor.Contracts;
using SafeMentor.Server.Audit;
using SafeMentor.Server.Messaging;
using SafeMentor.Server.Retention;
using SafeMentor.Server.Storage;

namespace SafeMentor.Server.Mentorships;

/// <summary>
/// Everything that changes whether a mentorship's relay is open: matching, consent, new ground rules, ending.
/// Each is one change through the storage writer, judged inside its transaction against everything applied before
/// it, so concurrent consents and endings are decided one after the other. The resulting state reaches the send
/// path (<see cref="MentorshipRegistry"/>) once durable, and both parties are told over the hub when their relay
/// opens or closes.
/// </summary>
internal sealed class MentorshipService(
    MentorshipRegistry registry,
    StorageWriter writer,
    EnvelopeQueue envelopes,
    IHubContext<RelayHub, IRelayClient> hub,
    AuditTrail audit,
    RetentionLedger retention,
    TimeProvider time)
{
    public MentorshipState? StateOf(string mentorshipId) => registry.Get(mentorshipId);

    /// <summary>Matches a mentor and a mentee; null when the mentee already has an active mentorship in the programme.</summary>
    public Task<MentorshipState?> MatchAsync(string programmeId, string mentorId, string menteeId, string coordinatorId)
    {
        var mentorship = new MentorshipDocument
        {
            Id = Ids.New(MentorshipStore.IdPrefix),
            ProgrammeId = programmeId,
            MentorId = mentorId,
            MenteeId = menteeId,
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        return writer.WriteAsync(
            scope =>
            {
                var mentorships = scope.Collection<MentorshipDocument>(Collections.Mentorships);
                if (mentorships.Exists(m => m.MenteeId == menteeId && m.ProgrammeId == programmeId && m.EndedAt == null))
                {
                    return null;
                }

                mentorships.Insert(mentorship);
                audit.Append(scope, AuditRecords.Matched(programmeId, mentorship.Id, coordinatorId, mentorId, menteeId));
                var state = MentorshipStore.StateOf(scope, mentorship);
                MentorshipRegistry.Stage(scope, state);
                return state;
            },
            state =>
            {
                if (state is not null)
                {
                    registry.Publish(state);
                }
            });
    }

    /// <summary>
    /// Stores a verified consent statement, if it still names the current ground rules and moves forward in time,
    /// and tells both parties if the relay opened or closed.
    /// </summary>
    public async Task<ConsentOutcome> RecordConsentAsync(ConsentDocument consent, byte[] expectedHash)
    {
        var outcome = await writer.WriteAsync(
            scope =>
            {
                var before = registry.Get(scope, consent.MentorshipId)!;
                if (before.Ended)
                {
                    return new ConsentOutcome(ErrorCodes.MentorshipEnded, before, before);
                }

                var current = ProgrammeStore.CurrentRules(scope, before.Mentorship.ProgrammeId);
                if (current.Version != consent.GroundRulesVersion || !current.Hash.AsSpan().SequenceEqual(expectedHash))
                {
                    return new ConsentOutcome(ErrorCodes.GroundRulesMismatch, before, before);
                }

                if (MentorshipStore.LatestConsent(scope, consent.MentorshipId, consent.AccountId) is { } latest && latest.TimestampMs >= consent.TimestampMs)
                {
                    return new ConsentOutcome(ErrorCodes.Conflict, before, before);
                }

                scope.Collection<ConsentDocument>(Collections.Consents).Insert(consent);
                audit.Append(scope, AuditRecords.Consent(before.Mentorship.ProgrammeId, consent.MentorshipId, consent.AccountId, consent.Decision == (int)Protocol.Statements.ConsentDecision.Accept, consent.GroundRulesVersion, consent.TimestampMs));
                var after = MentorshipStore.StateOf(scope, before.Mentorship);
                MentorshipRegistry.Stage(scope, after);
                return new ConsentOutcome(null, before, after);
            },
            outcome =>
            {
                if (outcome.Code is null)
                {
                    registry.Publish(outcome.After);
                }
            }).ConfigureAwait(false);

        if (outcome.Code is null && outcome.Before.RelayOpen != outcome.After.RelayOpen)
        {
            await NotifyAsync(outcome.After).ConfigureAwait(false);
        }

        return outcome;
    }

    /// <summary>Publishes new ground rules: every open relay of the programme closes until both parties consent again.</summary>
    public async Task<ProgrammeDocument> PublishGroundRulesAsync(string programmeId, GroundRulesInput rules, string coordinatorId)
    {
        var (programme, affected) = await writer.WriteAsync(
            scope =>
            {
                var programme = ProgrammeStore.PublishVersion(scope, programmeId, rules, time.GetUtcNow().UtcDateTime);
                retention.GroundRulesPublished(scope, programme, coordinatorId, time.GetUtcNow().UtcDateTime);
                var affected = new List<MentorshipState>();
                foreach (var mentorship in scope.Collection<MentorshipDocument>(Collections.Mentorships).Find(m => m.ProgrammeId == programmeId && m.EndedAt == null))
                {
                    var state = MentorshipStore.StateOf(scope, mentorship);
                    MentorshipRegistry.Stage(scope, state);
                    affected.Add(state);
                }

                return (programme, affected);
            },
            result => result.affected.ForEach(registry.Publish)).ConfigureAwait(false);

        foreach (var state in affected)
        {
            await NotifyAsync(state).ConfigureAwait(false);
        }

        return programme;
    }

    /// <summary>
    /// Ends a mentorship and deletes its queued envelopes in the same change; envelopes accepted but not yet stored
    /// are refused with <c>mentorship_ended</c>. Null when it had already ended.
    /// </summary>
    public async Task<MentorshipState?> EndAsync(string mentorshipId, string partyId)
    {
        var (ended, purged) = await writer.WriteAsync(
            scope =>
            {
                var before = registry.Get(scope, mentorshipId)!;
                if (before.Ended)
                {
                    return (State: (MentorshipState?)null, Purged: new List<string>());
                }

                var mentorship = new MentorshipDocument
                {
                    Id = before.Mentorship.Id,
                    ProgrammeId = before.Mentorship.ProgrammeId,
                    MentorId = before.Mentorship.MentorId,
                    MenteeId = before.Mentorship.MenteeId,
                    CreatedAt = before.Mentorship.CreatedAt,
                    EndedAt = time.GetUtcNow().UtcDateTime,
                };
                scope.Collection<MentorshipDocument>(Collections.Mentorships).Update(mentorship);
                var after = before with { Mentorship = mentorship };
                MentorshipRegistry.Stage(scope, after);
                var purged = EnvelopeQueue.Purge(scope, mentorshipId);
                audit.Append(scope, AuditRecords.Ended(mentorship.ProgrammeId, mentorshipId, partyId, purged.Count));
                return (State: after, Purged: purged);
            },
            result =>
            {
                if (result.State is { } state)
                {
                    registry.Publish(state);
                    envelopes.Purged(state, result.Purged);
                }
            }).ConfigureAwait(false);

        if (ended is not null)
        {
            await NotifyAsync(ended).ConfigureAwait(false);
        }

        return ended;
    }

    private Task NotifyAsync(MentorshipState state)
        => hub.Clients.Users(state.Mentorship.MentorId, state.Mentorship.MenteeId).RelayStateChanged(state.ToRelayState());
}

/// <summary>What became of a consent statement: <see cref="Code"/> is null when it was stored.</summary>
internal sealed record ConsentOutcome(string? Code, MentorshipState Before, MentorshipState After);
