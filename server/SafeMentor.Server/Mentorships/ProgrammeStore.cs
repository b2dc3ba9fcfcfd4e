using LiteDB;
using SafeMentor.Contracts;
using SafeMentor.Server.Storage;

namespace SafeMentor.Server.Mentorships;

/// <summary>Programmes and their ground-rules versions. Each edit is a new version with its canonical hash.</summary>
internal sealed class ProgrammeStore
{
    public const string IdPrefix = "pg_";

    private readonly Database _database;

    public ProgrammeStore(Database database) => _database = database;

    private ILiteCollection<ProgrammeDocument> Programmes => _database.Collection<ProgrammeDocument>(Collections.Programmes);

    private ILiteCollection<GroundRulesDocument> Versions => _database.Collection<GroundRulesDocument>(Collections.GroundRules);

    public ProgrammeDocument? Find(string programmeId) => Programmes.FindById(programmeId);

    public GroundRulesDocument? FindVersion(string programmeId, long version) => Versions.FindById(VersionId(programmeId, version));

    public GroundRulesDocument Current(ProgrammeDocument programme)
        => FindVersion(programme.Id, programme.CurrentVersion) ?? throw new InvalidOperationException("A programme's current ground rules are missing.");

    /// <summary>Inside a write: a new programme with its first ground-rules version.</summary>
    public static ProgrammeDocument Create(WriteScope scope, string name, GroundRulesInput rules, DateTime now)
    {
        var programme = new ProgrammeDocument { Id = Ids.New(IdPrefix), Name = name, CurrentVersion = 1, CreatedAt = now };
        scope.Collection<GroundRulesDocument>(Collections.GroundRules).Insert(ToDocument(programme.Id, 1, rules, now));
        scope.Collection<ProgrammeDocument>(Collections.Programmes).Insert(programme);
        return programme;
    }

    /// <summary>
    /// Inside a write: publishes the next version and makes it current. Versions of one programme are numbered
    /// without gaps, because publications are applied one after the other.
    /// </summary>
    public static ProgrammeDocument PublishVersion(WriteScope scope, string programmeId, GroundRulesInput rules, DateTime now)
    {
        var programmes = scope.Collection<ProgrammeDocument>(Collections.Programmes);
        var programme = programmes.FindById(programmeId) ?? throw new InvalidOperationException("Unknown programme.");
        programme.CurrentVersion++;
        scope.Collection<GroundRulesDocument>(Collections.GroundRules).Insert(ToDocument(programmeId, programme.CurrentVersion, rules, now));
        programmes.Update(programme);
        return programme;
    }

    /// <summary>Inside a write: the current ground rules of a programme, as this transaction sees them.</summary>
    public static GroundRulesDocument CurrentRules(WriteScope scope, string programmeId)
    {
        var programme = scope.Collection<ProgrammeDocument>(Collections.Programmes).FindById(programmeId) ?? throw new InvalidOperationException("Unknown programme.");
        return scope.Collection<GroundRulesDocument>(Collections.GroundRules).FindById(VersionId(programmeId, programme.CurrentVersion))
            ?? throw new InvalidOperationException("A programme's current ground rules are missing.");
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
