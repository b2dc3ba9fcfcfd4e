using LiteDB;
using SafeMentor.Contracts;
using SafeMentor.Server.Accounts;
using SafeMentor.Server.Storage;

namespace SafeMentor.Server.Mentorships;

/// <summary>Mentorship and consent documents: reads, the wire shape, and the reads a change makes inside its transaction.</summary>
internal sealed class MentorshipStore(Database database)
{
    public const string IdPrefix = "ms_";

    private ILiteCollection<MentorshipDocument> Mentorships => database.Collection<MentorshipDocument>(Collections.Mentorships);

    public MentorshipDocument? Find(string mentorshipId) => Mentorships.FindById(mentorshipId);

    public IReadOnlyList<MentorshipDocument> OfProgramme(string programmeId)
        => [.. Mentorships.Find(m => m.ProgrammeId == programmeId).OrderBy(m => m.CreatedAt).ThenBy(m => m.Id, StringComparer.Ordinal)];

    public IReadOnlyList<MentorshipDocument> OfAccount(string accountId)
        => [.. Mentorships.Find(m => m.MentorId == accountId || m.MenteeId == accountId).OrderBy(m => m.CreatedAt).ThenBy(m => m.Id, StringComparer.Ordinal)];

    /// <summary>Whether two accounts are the two parties of a mentorship that has not ended.</summary>
    public bool ShareActiveMentorship(string a, string b)
        => Mentorships.Exists(m => m.EndedAt == null
            && ((m.MentorId == a && m.MenteeId == b) || (m.MentorId == b && m.MenteeId == a)));

    public MentorshipDto ToDto(MentorshipState state) => new(
        state.Mentorship.Id,
        state.Mentorship.ProgrammeId,
        state.Mentorship.MentorId,
        PseudonymOf(state.Mentorship.MentorId),
        state.Mentorship.MenteeId,
        PseudonymOf(state.Mentorship.MenteeId),
        checked((uint)state.GroundRulesVersion),
        state.MentorConsented,
        state.MenteeConsented,
        state.RelayOpen,
        StoredTime.ToOffset(state.Mentorship.CreatedAt),
        state.Mentorship.EndedAt is { } ended ? StoredTime.ToOffset(ended) : null);

    /// <summary>Inside a write: the latest consent statement of <paramref name="accountId"/> in the mentorship, if any.</summary>
    public static ConsentDocument? LatestConsent(WriteScope scope, string mentorshipId, string accountId)
        => scope.Collection<ConsentDocument>(Collections.Consents)
            .Find(c => c.MentorshipId == mentorshipId && c.AccountId == accountId)
            .OrderByDescending(c => c.TimestampMs)
            .FirstOrDefault();

    /// <summary>Inside a write: the state of a mentorship from the documents, as this transaction sees them.</summary>
    public static MentorshipState StateOf(WriteScope scope, MentorshipDocument mentorship)
    {
        var programme = scope.Collection<ProgrammeDocument>(Collections.Programmes).FindById(mentorship.ProgrammeId)
            ?? throw new InvalidOperationException("A mentorship's programme is missing.");
        var current = programme.CurrentVersion;
        return new MentorshipState(
            mentorship,
            current,
            MentorshipRegistry.Accepts(LatestConsent(scope, mentorship.Id, mentorship.MentorId), current),
            MentorshipRegistry.Accepts(LatestConsent(scope, mentorship.Id, mentorship.MenteeId), current),
            AccountSecurity.IsSuspended(scope, mentorship.MentorId) || AccountSecurity.IsSuspended(scope, mentorship.MenteeId));
    }

    /// <summary>Inside a write: the mentorships of an account that have not ended, as this transaction sees them.</summary>
    public static List<MentorshipDocument> ActiveOf(WriteScope scope, string accountId)
        => [.. scope.Collection<MentorshipDocument>(Collections.Mentorships).Find(m => (m.MentorId == accountId || m.MenteeId == accountId) && m.EndedAt == null)];

    private string PseudonymOf(string accountId)
        => database.Collection<AccountDocument>(Collections.Accounts).FindById(accountId)?.Pseudonym ?? "";
}

/// <summary>
/// A mentorship with the consents that count for its current ground-rules version, and whether a party's account is
/// suspended. Never changed in place.
/// </summary>
internal sealed record MentorshipState(MentorshipDocument Mentorship, long GroundRulesVersion, bool MentorConsented, bool MenteeConsented, bool Suspended = false)
{
    public bool Ended => Mentorship.EndedAt is not null;

    /// <summary>
    /// The relay forwards only when both parties accepted the current version, neither account is suspended and the
    /// mentorship has not ended.
    /// </summary>
    public bool RelayOpen => !Ended && !Suspended && MentorConsented && MenteeConsented;

    public bool IsParty(string accountId) => Mentorship.MentorId == accountId || Mentorship.MenteeId == accountId;

    public string? CounterpartOf(string accountId)
        => accountId == Mentorship.MentorId ? Mentorship.MenteeId : accountId == Mentorship.MenteeId ? Mentorship.MentorId : null;

    public RelayStateDto ToRelayState() => new(Mentorship.Id, RelayOpen, checked((uint)GroundRulesVersion), Ended);
}

/// <summary>Indexes of the mentorship collections.</summary>
internal sealed class MentorshipSchema : IStorageSchema
{
    public void Apply(LiteDatabase database)
    {
        var mentorships = database.GetCollection<MentorshipDocument>(Collections.Mentorships);
        mentorships.EnsureIndex(m => m.ProgrammeId);
        mentorships.EnsureIndex(m => m.MentorId);
        mentorships.EnsureIndex(m => m.MenteeId);
        database.GetCollection<ConsentDocument>(Collections.Consents).EnsureIndex(c => c.MentorshipId);
        database.GetCollection<GroundRulesDocument>(Collections.GroundRules).EnsureIndex(v => v.ProgrammeId);
    }
}
