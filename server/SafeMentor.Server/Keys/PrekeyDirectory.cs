using LiteDB;
using SafeMentor.Contracts;
using SafeMentor.Server.Storage;

namespace SafeMentor.Server.Keys;

/// <summary>Signed and one-time prekeys. Taking a one-time prekey and deleting it is one step under a lock.</summary>
internal sealed class PrekeyDirectory
{
    private readonly Database _database;
    private readonly Lock _takeGate = new();

    public PrekeyDirectory(Database database)
    {
        _database = database;
        OneTime.EnsureIndex(k => k.AccountId);
    }

    private ILiteCollection<SignedPrekeyDocument> Signed => _database.Collection<SignedPrekeyDocument>(Collections.SignedPrekeys);

    private ILiteCollection<OneTimePrekeyDocument> OneTime => _database.Collection<OneTimePrekeyDocument>(Collections.OneTimePrekeys);

    public SignedPrekeyDocument? SignedPrekeyOf(string accountId) => Signed.FindById(accountId);

    public int OneTimeCount(string accountId) => OneTime.Count(k => k.AccountId == accountId);

    public void SetSignedPrekey(SignedPrekeyDocument signedPrekey) => Signed.Upsert(signedPrekey);

    /// <summary>Whether any of <paramref name="keyIds"/> is already held for the account.</summary>
    public bool AnyHeld(string accountId, IEnumerable<uint> keyIds) => keyIds.Any(id => OneTime.FindById(OneTimeId(accountId, id)) is not null);

    /// <summary>Adds one-time prekeys in one transaction.</summary>
    public void AddOneTime(string accountId, IEnumerable<OneTimePrekeyDto> keys, IReadOnlyDictionary<uint, byte[]> decoded)
        => OneTime.InsertBulk(keys.Select(k => new OneTimePrekeyDocument
        {
            Id = OneTimeId(accountId, k.Id),
            AccountId = accountId,
            KeyId = k.Id,
            PublicKey = decoded[k.Id],
        }));

    /// <summary>Takes one of the account's one-time prekeys out of the directory, or null when none is left.</summary>
    public OneTimePrekeyDocument? TakeOneTime(string accountId)
    {
        lock (_takeGate)
        {
            var key = OneTime.Find(k => k.AccountId == accountId, limit: 1).FirstOrDefault();
            if (key is not null)
            {
                OneTime.Delete(key.Id);
            }

            return key;
        }
    }

    private static string OneTimeId(string accountId, uint keyId) => $"{accountId}/{keyId}";
}
