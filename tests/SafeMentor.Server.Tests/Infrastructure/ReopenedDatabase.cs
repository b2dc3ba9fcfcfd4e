using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SafeMentor.Server.Storage;

namespace SafeMentor.Server.Tests.Infrastructure;

/// <summary>
/// A database filled through the storage writer on files in memory, closed (which checkpoints, leaving everything in
/// the data file), and opened again on a cold cache, as a restarted server finds it. Counts the bytes read from the
/// data file from then on.
/// </summary>
internal sealed class ReopenedDatabase : IDisposable
{
    private readonly PowerCutMedium _medium;
    private readonly long _readAtOpen;

    private ReopenedDatabase(PowerCutMedium medium, IStorageSchema[] schemas)
    {
        _medium = medium;
        Database = new Database(medium, schemas);
        _readAtOpen = medium.DataBytesRead;
    }

    public Database Database { get; }

    /// <summary>Bytes of the data file read since the database was opened again.</summary>
    public long BytesRead => _medium.DataBytesRead - _readAtOpen;

    /// <summary>Fills a new database with <paramref name="fill"/>, closes it, and opens it again.</summary>
    public static async Task<ReopenedDatabase> CreateAsync(IStorageSchema[] schemas, Func<StorageWriter, Task> fill)
    {
        var medium = new PowerCutMedium();
        using (var database = new Database(medium, schemas))
        using (var writer = NewWriter(database))
        {
            await fill(writer);
        }

        var (data, log) = medium.Cut(new Random(1));
        Assert.Empty(log);
        return new ReopenedDatabase(new PowerCutMedium(data, log), schemas);
    }

    /// <summary>A writer for a database outside a server, with the writer's default options.</summary>
    public static StorageWriter NewWriter(Database database)
        => new(database, new RecordingStorageFailure(), Options.Create(new StorageWriterOptions()), NullLogger<StorageWriter>.Instance);

    public void Dispose() => Database.Dispose();
}
