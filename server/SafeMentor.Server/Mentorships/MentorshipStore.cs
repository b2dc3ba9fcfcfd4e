using LiteDB;
using SafeMentor.Contracts;
using SafeMentor.Server.Storage;

namespace SafeMentor.Server.Mentorships;

/// <summary>Mentorship and consent documents, and the relay state they imply.</summary>
internal sealed class MentorshipStore
{
    public const string IdPrefix = "ms_";

    private readonly Database _database;
    private readonly ProgrammeStore _programmes;

    public MentorshipStore(Database database, ProgrammeStore programmes)
    {
        _database = database;
        _programmes = programmes;
        Mentorships.EnsureIndex(m => m.ProgrammeId);
        Mentorships.EnsureIndex(m => m.MentorId);
        Mentorships.EnsureIndex(m => m.MenteeId);
        Consents.EnsureIndex(c => c.MentorshipId);
    }

    private ILiteCollection<MentorshipDocument> Mentorships => _database.Collection<MentorshipDocument>(Collections.Mentorships);

    private ILiteCollection<ConsentDocument> Consents => _database.Collection<ConsentDocument>(Collections.Consents);

    public MentorshipDocument? Find(string mentorshipId) => Mentorships.FindById(mentorshipId);

    public void Insert(MentorshipDocument mentorship) => Mentorships.Insert(mentorship);

    public void Update(MentorshipDocument mentorship) => Mentorships.Update(mentorship);

    public void InsertConsent(ConsentDocument consent) => Consents.Insert(consent);

    public IReadOnlyList<MentorshipDocument> OfProgramme(string programmeId)
        => [.. Mentorships.Find(m => m.ProgrammeId == programmeId).OrderBy(m => m.CreatedAt).ThenBy(m => m.Id, StringComparer.Ordinal)];

    public IReadOnlyList<MentorshipDocument> ActiveOfProgramme(string programmeId)
        => [.. OfProgramme(programmeId).Where(m => m.EndedAt is null)];

    public IReadOnlyList<MentorshipDocument> OfAccount(string accountId)
        => [.. Mentorships.Find(m => m.MentorId == accountId || m.MenteeId == accountId).OrderBy(m => m.CreatedAt).ThenBy(m => m.Id, StringComparer.Ordinal)];

    /// <summary>Whether two accounts are the two parties of a mentorship that has not ended.</summary>
    public bool ShareActiveMentorship(string a, string b)
        => Mentorships.Exists(m => m.EndedAt == null
            && ((m.MentorId == a && m.MenteeId == b) || (m.MentorId == b && m.MenteeId == a)));

    /// <summary>The latest consent statement of <paramref name="accountId"/> in the mentorship, if any.</summary>
    public ConsentDocument? LatestConsent(string mentorshipId, string accountId)
        => Consents.Find(c => c.MentorshipId == mentorshipId && c.AccountId == accountId)
            .OrderByDescending(c => c.TimestampMs)
            .FirstOrDefault();

    /// <summary>The relay state of a mentorship, computed from the programme's current version and the latest consents.</summary>
    public MentorshipState StateOf(MentorshipDocument mentorship)
    {
        var programme = _programmes.Find(mentorship.ProgrammeId) ?? throw new InvalidOperationException("A mentorship's programme is missing.");
        var current = programme.CurrentVersion;
        var mentor = Accepted(LatestConsent(mentorship.Id, mentorship.MentorId), current);
        var mentee = Accepted(LatestConsent(mentorship.Id, mentorship.MenteeId), current);
        return new MentorshipState(mentorship, current, mentor, mentee);
    }

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

    private string PseudonymOf(string accountId)
        => _database.Collection<AccountDocument>(Collections.Accounts).FindById(accountId)?.Pseudonym ?? "";

    private static bool Accepted(ConsentDocument? latest, long currentVersion)
        => latest is not null && latest.GroundRulesVersion == currentVersion && latest.Decision == (int)Protocol.Statements.ConsentDecision.Accept;
}

/// <summary>A mentorship with the consents that count for its current ground-rules version.</summary>
internal sealed record MentorshipState(MentorshipDocument Mentorship, long GroundRulesVersion, bool MentorConsented, bool MenteeConsented)
{
    public bool Ended => Mentorship.EndedAt is not null;

    /// <summary>The relay forwards only when both parties accepted the current version and the mentorship has not ended.</summary>
    public bool RelayOpen => !Ended && MentorConsented && MenteeConsented;

    public bool IsParty(string accountId) => Mentorship.MentorId == accountId || Mentorship.MenteeId == accountId;

    public string? CounterpartOf(string accountId)
        => accountId == Mentorship.MentorId ? Mentorship.MenteeId : accountId == Mentorship.MenteeId ? Mentorship.MentorId : null;

    public RelayStateDto ToRelayState() => new(Mentorship.Id, RelayOpen, checked((uint)GroundRulesVersion), Ended);
}
