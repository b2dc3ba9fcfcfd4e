using LiteDB;
using LiteDB.Engine;

namespace SafeMentor.Server.Storage;

/// <summary>
/// The process's single LiteDB database. Anyone may read through <see cref="Collection{T}"/>; every change goes
/// through the <see cref="StorageWriter"/>, which alone writes, on its own thread, one transaction at a time.
/// LiteDB's automatic checkpoints are off: the writer checkpoints when the log grows, and makes each commit durable.
/// </summary>
internal sealed class Database : IDisposable
{
    // Databases abandoned after a failed commit, kept reachable until the process ends: see Abandon.
    private static readonly List<LiteDatabase> s_abandoned = [];

    private readonly DatabaseMedium _medium;
    private bool _abandoned;

    public Database(DatabaseMedium medium, IEnumerable<IStorageSchema> schemas)
    {
        _medium = medium;
        var mapper = new BsonMapper
        {
            TrimWhitespace = false,
            EmptyStringToNull = false,
        };
        var engine = new LiteEngine(new EngineSettings
        {
            DataStream = medium.Data,
            LogStream = new CommitBarrierLog(medium.Log),
        });
        Lite = new LiteDatabase(engine, mapper)
        {
            // Read times back as UTC, as they were written; local time would make comparisons depend on the time zone.
            UtcDate = true,
        };
        if (Lite.CheckpointSize != 0)
        {
            Lite.CheckpointSize = 0;
        }

        // Before anything reads or writes, on this one thread: no index is ever created beside a running writer.
        foreach (var schema in schemas)
        {
            schema.Apply(Lite);
        }
    }

    /// <summary>The underlying database. Writes belong on the writer's thread only.</summary>
    public LiteDatabase Lite { get; }

    /// <summary>The files, for the writer's durability step.</summary>
    public DatabaseMedium Medium => _medium;

    /// <summary>Bytes in the write-ahead log not yet copied into the data file.</summary>
    public long LogLength => _medium.Log.Length;

    public ILiteCollection<T> Collection<T>(string name) => Lite.GetCollection<T>(name);

    /// <summary>
    /// On the writer's thread, between transactions: copies the log into the data file (which LiteDB flushes) and
    /// makes the log's truncation durable before the next commit writes at its start. LiteDB numbers transactions
    /// afresh after a checkpoint, so a new transaction's pages mixed with a stale, un-truncated log would be replayed
    /// under an old transaction's confirmation.
    /// </summary>
    public void Checkpoint()
    {
        Lite.Checkpoint();
        _medium.SyncLog();
    }

    /// <summary>Whether the database answers a trivial read.</summary>
    public bool IsUsable()
    {
        try
        {
            _ = Lite.GetCollection<MetaDocument>(Collections.Meta).Count();
            return true;
        }
        catch (Exception e) when (e is LiteException or IOException or ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>
    /// After a commit whose outcome is unknown: the database is left exactly as it is and never closed. Closing it
    /// would clean up the half-committed transaction and could write; its cleanup also fails on such a transaction,
    /// and would do so again from a finalizer if the transaction were ever collected. The process is about to exit,
    /// and the files (and the folder lock) go with it.
    /// </summary>
    public void Abandon()
    {
        lock (s_abandoned)
        {
            _abandoned = true;
            s_abandoned.Add(Lite);
        }
    }

    public void Dispose()
    {
        lock (s_abandoned)
        {
            if (_abandoned)
            {
                return;
            }
        }

        Lite.Dispose();
        _medium.Dispose();
    }
}

/// <summary>The indexes a feature needs, created when the database opens, before the writer starts.</summary>
internal interface IStorageSchema
{
    void Apply(LiteDatabase database);
}

/// <summary>Collection names, one place for all of them.</summary>
internal static partial class Collections
{
    public const string Meta = "meta";
    public const string Accounts = "accounts";
    public const string Memberships = "memberships";
    public const string Invites = "invites";
    public const string SignedPrekeys = "signed_prekeys";
    public const string OneTimePrekeys = "one_time_prekeys";
    public const string Programmes = "programmes";
    public const string GroundRules = "ground_rules";
    public const string Mentorships = "mentorships";
    public const string Consents = "consents";
    public const string Envelopes = "envelopes";
    public const string ExportReceipts = "export_receipts";
}
