using LiteDB;
using SafeMentor.Contracts;
using SafeMentor.Server.Storage;

namespace SafeMentor.Server.Mentorships;

/// <summary>Programmes and their ground-rules versions. Each edit is a new version with its canonical hash.</summary>
internal sealed class ProgrammeStore
{
    public const string IdPrefix = "pg_";

    private readonly Database _database;
    private readonly Lock _publishGate = new();

    public ProgrammeStore(Database database)
    {
        _database = database;
        Versions.EnsureIndex(v => v.ProgrammeId);
    }

    private ILiteCollection<ProgrammeDocument> Programmes => _database.Collection<ProgrammeDocument>(Collections.Programmes);

    private ILiteCollection<GroundRulesDocument> Versions => _database.Collection<GroundRulesDocument>(Collections.GroundRules);

    public ProgrammeDocument? Find(string programmeId) => Programmes.FindById(programmeId);

    public GroundRulesDocument? FindVersion(string programmeId, long version) => Versions.FindById(VersionId(programmeId, version));

    public GroundRulesDocument Current(ProgrammeDocument programme)
        => FindVersion(programme.Id, programme.CurrentVersion) ?? throw new InvalidOperationException("A programme's current ground rules are missing.");

    public ProgrammeDocument Create(string name, GroundRulesInput rules, DateTime now)
    {
        var programme = new ProgrammeDocument { Id = Ids.New(IdPrefix), Name = name, CurrentVersion = 1, CreatedAt = now };
        Versions.Insert(ToDocument(programme.Id, 1, rules, now));
        Programmes.Insert(programme);
        return programme;
    }

    /// <summary>Publishes the next version and makes it current; versions of one programme are numbered without gaps.</summary>
    public ProgrammeDocument PublishVersion(string programmeId, GroundRulesInput rules, DateTime now)
    {
        lock (_publishGate)
        {
            var programme = Find(programmeId) ?? throw new InvalidOperationException("Unknown programme.");
            programme.CurrentVersion++;
            Versions.Insert(ToDocument(programmeId, programme.CurrentVersion, rules, now));
            Programmes.Update(programme);
            return programme;
        }
    }

    public static GroundRulesDto ToDto(GroundRulesDocument rules) => new(
        rules.ProgrammeId,
        checked((uint)rules.Version),
        rules.Text,
        rules.UndeliveredRetentionMs,
        rules.ClientHistoryRetentionMs,
        rules.ExportAllowed,
        rules.ContactHours,
        checked((uint)rules.ExpectedResponseHours),
        Convert.ToBase64String(rules.Hash),
        StoredTime.ToOffset(rules.PublishedAt));

    public ProgrammeResponse ToResponse(ProgrammeDocument programme) => new(programme.Id, programme.Name, ToDto(Current(programme)));

    private static GroundRulesDocument ToDocument(string programmeId, long version, GroundRulesInput input, DateTime now)
    {
        var canonical = new Protocol.Statements.GroundRules(
            programmeId,
            checked((uint)version),
            input.Text,
            input.UndeliveredRetentionMs,
            input.ClientHistoryRetentionMs,
            input.ExportAllowed,
            input.ContactHours,
            input.ExpectedResponseHours);
        return new GroundRulesDocument
        {
            Id = VersionId(programmeId, version),
            ProgrammeId = programmeId,
            Version = version,
            Text = input.Text,
            UndeliveredRetentionMs = input.UndeliveredRetentionMs,
            ClientHistoryRetentionMs = input.ClientHistoryRetentionMs,
            ExportAllowed = input.ExportAllowed,
            ContactHours = input.ContactHours,
            ExpectedResponseHours = input.ExpectedResponseHours,
            Hash = canonical.ComputeHash(),
            PublishedAt = now,
        };
    }

    private static string VersionId(string programmeId, long version) => $"{programmeId}/{version}";
}
