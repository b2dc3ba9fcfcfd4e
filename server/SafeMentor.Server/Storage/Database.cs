using LiteDB;
using Microsoft.Extensions.Options;

namespace SafeMentor.Server.Storage;

/// <summary>
/// The process's single LiteDB database, in the data folder. Collections are reached through
/// <see cref="Collection{T}"/>; each feature names its own collections and indexes.
/// </summary>
internal sealed class Database : IDisposable
{
    public const string FileName = "safementor.db";
    public const string LockFileName = "safementor.lock";

    // Held for the life of the process: LiteDB's direct mode does not stop a second process from opening the
    // same file (on Linux nothing does), and two writers would corrupt it.
    private readonly FileStream _lock;

    public Database(IOptions<StorageOptions> options)
    {
        var folder = System.IO.Path.GetFullPath(options.Value.DataDirectory);
        try
        {
            Directory.CreateDirectory(folder);
            _lock = new FileStream(System.IO.Path.Combine(folder, LockFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StorageUnavailableException(
                $"The data folder {folder} (SafeMentor:DataDirectory) cannot be used: it is in use by another SafeMentor process or not writable. {e.Message}", e);
        }

        Path = System.IO.Path.Combine(folder, FileName);
        var mapper = new BsonMapper();
        mapper.TrimWhitespace = false;
        mapper.EmptyStringToNull = false;
        Lite = new LiteDatabase(new ConnectionString { Filename = Path, Connection = ConnectionType.Direct }, mapper)
        {
            // Read times back as UTC, as they were written; local time would make comparisons depend on the time zone.
            UtcDate = true,
        };
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>The underlying database, for transactions and checkpoints.</summary>
    public LiteDatabase Lite { get; }

    public ILiteCollection<T> Collection<T>(string name) => Lite.GetCollection<T>(name);

    /// <summary>Whether the database answers a trivial read.</summary>
    public bool IsUsable()
    {
        try
        {
            _ = Lite.GetCollection<MetaDocument>(Collections.Meta).Count();
            return true;
        }
        catch (LiteException)
        {
            return false;
        }
        catch (IOException)
        {
            return false;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        Lite.Dispose();
        _lock.Dispose();
    }
}

/// <summary>Collection names, one place for all of them.</summary>
internal static class Collections
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
