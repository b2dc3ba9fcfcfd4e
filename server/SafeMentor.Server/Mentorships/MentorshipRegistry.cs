using System.Collections.Concurrent;
using SafeMentor.Contracts;
using SafeMentor.Protocol.Statements;
using SafeMentor.Server.Accounts;
using SafeMentor.Server.Storage;

namespace SafeMentor.Server.Mentorships;

/// <summary>
/// The relay state of every mentorship, in memory: loaded once when the server starts, then changed only by the
/// storage writer, after the change that caused it is durable. The send path reads it without touching the disk.
/// </summary>
/// <remarks>
/// Inside a batch, a change that alters a mentorship's state (a withdrawal, an ending) leaves the new state in the
/// batch's notebook; envelopes applied later in the same batch are judged by it, so none is stored for a
/// mentorship whose relay closed earlier in the same transaction.
/// </remarks>
internal sealed class MentorshipRegistry
{
    private readonly ConcurrentDictionary<string, MentorshipState> _states = new(StringComparer.Ordinal);

    public MentorshipRegistry(Database database)
    {
        var programmes = database.Collection<ProgrammeDocument>(Collections.Programmes).FindAll()
            .ToDictionary(p => p.Id, p => p.CurrentVersion, StringComparer.Ordinal);
        var latest = new Dictionary<(string Mentorship, string Account), ConsentDocument>();
        foreach (var consent in database.Collection<ConsentDocument>(Collections.Consents).FindAll())
        {
            var key = (consent.MentorshipId, consent.AccountId);
            if (!latest.TryGetValue(key, out var known) || known.TimestampMs < consent.TimestampMs)
            {
                latest[key] = consent;
            }
        }

        var suspended = database.Collection<AccountStandingDocument>(SecurityCollections.Standings).Find(s => s.SuspendedAt != null)
            .Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var mentorship in database.Collection<MentorshipDocument>(Collections.Mentorships).FindAll())
        {
            var version = programmes[mentorship.ProgrammeId];
            _states[mentorship.Id] = new MentorshipState(
                mentorship,
                version,
                Accepts(latest.GetValueOrDefault((mentorship.Id, mentorship.MentorId)), version),
                Accepts(latest.GetValueOrDefault((mentorship.Id, mentorship.MenteeId)), version),
                suspended.Contains(mentorship.MentorId) || suspended.Contains(mentorship.MenteeId));
        }
    }

    /// <summary>The committed state of a mentorship, or null when there is none.</summary>
    public MentorshipState? Get(string mentorshipId) => _states.GetValueOrDefault(mentorshipId);

    /// <summary>The state as of the changes applied so far in the writer's open transaction.</summary>
    public MentorshipState? Get(WriteScope scope, string mentorshipId)
        => scope.TryGetNote<MentorshipState>(NoteKey(mentorshipId), out var staged) ? staged : Get(mentorshipId);

    /// <summary>Inside a write: the state this transaction gives the mentorship, visible to later changes of the batch.</summary>
    public static void Stage(WriteScope scope, MentorshipState state) => scope.SetNote(NoteKey(state.Mentorship.Id), state);

    /// <summary>After the change is durable, on the writer's thread: the state the send path sees from now on.</summary>
    public void Publish(MentorshipState state) => _states[state.Mentorship.Id] = state;

    /// <summary>Null when <paramref name="sender"/> may send to <paramref name="recipient"/> in the mentorship now, else the refusal code.</summary>
    public string? AdmitSend(string mentorshipId, string sender, string recipient) => Admit(Get(mentorshipId), sender, recipient);

    /// <summary>Like <see cref="AdmitSend(string, string, string)"/>, judged inside the writer's open transaction.</summary>
    public string? AdmitSend(WriteScope scope, string mentorshipId, string sender, string recipient) => Admit(Get(scope, mentorshipId), sender, recipient);

    /// <summary>Whether a consent statement accepts the given ground-rules version.</summary>
    public static bool Accepts(ConsentDocument? latest, long currentVersion)
        => latest is not null && latest.GroundRulesVersion == currentVersion && latest.Decision == (int)ConsentDecision.Accept;

    private static string? Admit(MentorshipState? state, string sender, string recipient)
    {
        if (state is null || state.CounterpartOf(sender) != recipient)
        {
            return ErrorCodes.NotAParty;
        }

        return state.Ended ? ErrorCodes.MentorshipEnded
            : state.Suspended ? ErrorCodes.AccountSuspended
            : state.RelayOpen ? null : ErrorCodes.ConsentRequired;
    }

    private static string NoteKey(string mentorshipId) => "mentorship:" + mentorshipId;
}
