using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LiteDB;
using NSec.Cryptography;

namespace SafeMentor.Client.Storage;

/// <summary>
/// The SDK's local store: one LiteDB file in which every record is sealed with XChaCha20-Poly1305 under a key derived
/// from the user's passphrase with Argon2id (parameters and salt kept in the file, in the clear). A record's id is a
/// keyed hash of its logical name, and its value is <c>nonce (24) || AEAD(ad = label || id)</c> with a fresh random
/// nonce per write, so the file alone shows record counts and sizes, never names, keys or text.
/// <para>
/// <see cref="Write"/> runs one transaction; a durable write then checkpoints, which copies the committed pages into
/// the data file and flushes it. Save before send relies on that (docs/protocol.md, Save before send).
/// </para>
/// </summary>
internal sealed class SealedStore : IDisposable
{
    public const int FormatVersion = 1;
    private const string MetaCollection = "meta";
    private const string RecordCollection = "records";
    private const string MetaId = "store";
    private const int SaltSize = 16;
    private const int NonceSize = 24;
    private static readonly byte[] s_sealInfo = "SafeMentor/v1/store/seal"u8.ToArray();
    private static readonly byte[] s_indexInfo = "SafeMentor/v1/store/index"u8.ToArray();
    private static readonly byte[] s_recordLabel = "SafeMentor/v1/store/record"u8.ToArray();
    private static readonly byte[] s_checkPlaintext = "SafeMentor store check v1"u8.ToArray();
    private static readonly AeadAlgorithm s_aead = AeadAlgorithm.XChaCha20Poly1305;

    private readonly Lock _gate = new();
    private readonly FileStream _lock;
    private readonly LiteDatabase _db;
    private readonly Key _sealKey;
    private readonly byte[] _indexKey;
    private bool _disposed;

    private SealedStore(FileStream fileLock, LiteDatabase db, Key sealKey, byte[] indexKey, string path)
    {
        _lock = fileLock;
        _db = db;
        _sealKey = sealKey;
        _indexKey = indexKey;
        Path = path;
    }

    public string Path { get; }

    /// <summary>How many durable writes (commit and checkpoint) have completed; tests watch it.</summary>
    public long DurableWrites { get; private set; }

    /// <summary>Called after each durable write, with its sequence number (tests only).</summary>
    internal Action<long>? AfterDurableWrite { get; set; }

    /// <summary>Opens a store, or creates it with <paramref name="newStoreKdf"/> when the file does not exist.</summary>
    public static SealedStore Open(string path, Passphrase passphrase, KdfParameters newStoreKdf)
    {
        ArgumentNullException.ThrowIfNull(passphrase);
        var full = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        FileStream fileLock;
        try
        {
            fileLock = new FileStream(full + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new SafeMentorException(Contracts.ErrorCodes.Conflict, $"The store {full} is in use by another SafeMentor process.", e);
        }

        LiteDatabase? db = null;
        try
        {
            var mapper = new BsonMapper { TrimWhitespace = false, EmptyStringToNull = false };
            db = new LiteDatabase(new ConnectionString { Filename = full, Connection = ConnectionType.Direct }, mapper);
            var meta = db.GetCollection(MetaCollection);
            var doc = meta.FindById(MetaId);
            var created = doc is null;
            if (created)
            {
                doc = NewMeta(newStoreKdf);
            }

            var (sealKey, indexKey) = DeriveKeys(passphrase, doc!);
            var store = new SealedStore(fileLock, db, sealKey, indexKey, full);
            if (created)
            {
                doc!["check"] = store.Seal("check", s_checkPlaintext);
                meta.Insert(doc);
                db.Checkpoint();
            }
            else if (!store.TryOpen("check", doc!["check"].AsBinary, out var check) || !check.AsSpan().SequenceEqual(s_checkPlaintext))
            {
                store.Dispose();
                throw new SafeMentorException(ClientErrorCodes.WrongPassphrase, "The passphrase does not open this store.");
            }

            return store;
        }
        catch (LiteException e)
        {
            db?.Dispose();
            fileLock.Dispose();
            throw new SafeMentorException(ClientErrorCodes.StoreCorrupt, $"The file {full} is not a readable SafeMentor store: {e.Message}", e);
        }
        catch (SafeMentorException)
        {
            fileLock.Dispose();
            throw;
        }
    }

    public byte[]? Get(string name)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var id = IdOf(name);
            var doc = _db.GetCollection(RecordCollection).FindById(id);
            if (doc is null)
            {
                return null;
            }

            return TryOpen(id, doc["v"].AsBinary, out var plaintext)
                ? plaintext
                : throw new SafeMentorException(ClientErrorCodes.StoreCorrupt, "A record of the store does not authenticate: the file was altered.");
        }
    }

    public T? GetJson<T>(string name)
        where T : class
        => Get(name) is { } bytes ? System.Text.Json.JsonSerializer.Deserialize<T>(bytes, StoreJson.Options) : null;

    /// <summary>Runs <paramref name="writes"/> in one transaction; a durable write then checkpoints the data file.</summary>
    public void Write(Action<Batch> writes, bool durable = true)
    {
        ArgumentNullException.ThrowIfNull(writes);
        long sequence;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var batch = new Batch(this);
            writes(batch);
            var records = _db.GetCollection(RecordCollection);
            _db.BeginTrans();
            try
            {
                foreach (var (id, value) in batch.Changes)
                {
                    if (value is null)
                    {
                        records.Delete(id);
                    }
                    else
                    {
                        records.Upsert(new BsonDocument { ["_id"] = id, ["v"] = value });
                    }
                }

                _db.Commit();
            }
            catch
            {
                _db.Rollback();
                throw;
            }

            if (!durable)
            {
                return;
            }

            // Commit alone leaves the pages in the log without a flush; the checkpoint writes and flushes the data file.
            _db.Checkpoint();
            sequence = ++DurableWrites;
        }

        AfterDurableWrite?.Invoke(sequence);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _db.Dispose();
            _sealKey.Dispose();
            CryptographicOperations.ZeroMemory(_indexKey);
            _lock.Dispose();
        }
    }

    public override string ToString() => "SealedStore(***)";

    private static BsonDocument NewMeta(KdfParameters kdf)
    {
        ArgumentNullException.ThrowIfNull(kdf);
        ArgumentOutOfRangeException.ThrowIfLessThan(kdf.MemoryKiB, 8);
        ArgumentOutOfRangeException.ThrowIfLessThan(kdf.Iterations, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(kdf.Parallelism, 1);
        return new BsonDocument
        {
            ["_id"] = MetaId,
            ["format"] = FormatVersion,
            ["kdf"] = "argon2id",
            ["memoryKiB"] = kdf.MemoryKiB,
            ["iterations"] = kdf.Iterations,
            ["parallelism"] = kdf.Parallelism,
            ["salt"] = RandomNumberGenerator.GetBytes(SaltSize),
        };
    }

    private static (Key SealKey, byte[] IndexKey) DeriveKeys(Passphrase passphrase, BsonDocument meta)
    {
        if (meta["format"].AsInt32 != FormatVersion || meta["kdf"].AsString != "argon2id")
        {
            throw new SafeMentorException(ClientErrorCodes.StoreCorrupt, "The store has an unknown format.");
        }

        var parameters = new Argon2Parameters
        {
            DegreeOfParallelism = meta["parallelism"].AsInt32,
            MemorySize = meta["memoryKiB"].AsInt64,
            NumberOfPasses = meta["iterations"].AsInt64,
        };
        var master = new byte[32];
        var seal = new byte[32];
        var index = new byte[32];
        try
        {
            PasswordBasedKeyDerivationAlgorithm.Argon2id(parameters).DeriveBytes(passphrase.Utf8, meta["salt"].AsBinary, master);
            HKDF.Expand(HashAlgorithmName.SHA256, master, seal, s_sealInfo);
            HKDF.Expand(HashAlgorithmName.SHA256, master, index, s_indexInfo);
            var sealKey = Key.Import(s_aead, seal, KeyBlobFormat.RawSymmetricKey);
            return (sealKey, index);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(master);
            CryptographicOperations.ZeroMemory(seal);
        }
    }

    private string IdOf(string name)
    {
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(_indexKey, Encoding.UTF8.GetBytes(name), mac);
        return Convert.ToHexStringLower(mac[..16]);
    }

    private byte[] Seal(string id, ReadOnlySpan<byte> plaintext)
    {
        var sealedBytes = new byte[NonceSize + plaintext.Length + s_aead.TagSize];
        RandomNumberGenerator.Fill(sealedBytes.AsSpan(0, NonceSize));
        s_aead.Encrypt(_sealKey, sealedBytes.AsSpan(0, NonceSize), AdOf(id), plaintext, sealedBytes.AsSpan(NonceSize));
        return sealedBytes;
    }

    private bool TryOpen(string id, byte[] sealedBytes, out byte[] plaintext)
    {
        plaintext = [];
        if (sealedBytes.Length < NonceSize + s_aead.TagSize)
        {
            return false;
        }

        var output = new byte[sealedBytes.Length - NonceSize - s_aead.TagSize];
        if (!s_aead.Decrypt(_sealKey, sealedBytes.AsSpan(0, NonceSize), AdOf(id), sealedBytes.AsSpan(NonceSize), output))
        {
            return false;
        }

        plaintext = output;
        return true;
    }

    private static byte[] AdOf(string id) => [.. s_recordLabel, .. Encoding.ASCII.GetBytes(id)];

    /// <summary>The changes of one transaction, sealed as they are added.</summary>
    internal sealed class Batch(SealedStore store)
    {
        public List<(string Id, byte[]? Value)> Changes { get; } = [];

        public void Put(string name, ReadOnlySpan<byte> value)
        {
            var id = store.IdOf(name);
            Changes.Add((id, store.Seal(id, value)));
        }

        public void PutJson<T>(string name, T value) => Put(name, System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(value, StoreJson.Options));

        public void Delete(string name) => Changes.Add((store.IdOf(name), null));
    }
}

/// <summary>One JSON setting for every structured record of the store.</summary>
internal static class StoreJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);
}
