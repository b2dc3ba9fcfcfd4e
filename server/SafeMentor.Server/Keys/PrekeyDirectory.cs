using LiteDB;
using SafeMentor.Server.Storage;

namespace SafeMentor.Server.Keys;

/// <summary>
/// Signed and one-time prekeys. Uploads and hand-outs are changes through the writer, so a one-time prekey is
/// handed out once, and only after its deletion is durable: a crash can never bring a handed-out key back.
/// </summary>
internal sealed class PrekeyDirectory(Database database, StorageWriter writer)
{
    private ILiteCollection<SignedPrekeyDocument> Signed => database.Collection<SignedPrekeyDocument>(Collections.SignedPrekeys);

    private ILiteCollection<OneTimePrekeyDocument> OneTime => database.Collection<OneTimePrekeyDocument>(Collections.OneTimePrekeys);

    public SignedPrekeyDocument? SignedPrekeyOf(string accountId) => Signed.FindById(accountId);

    public int OneTimeCount(string accountId) => OneTime.Count(k => k.AccountId == accountId);

    /// <summary>
    /// Stores an upload in one change: refused with <see cref="UploadOutcome.IdHeld"/> when a one-time id is already
    /// held and with <see cref="UploadOutcome.TooMany"/> when the account would hold more than <paramref name="maxHeld"/>.
    /// Checked inside the change, so concurrent uploads are judged one after the other.
    /// </summary>
    public Task<UploadOutcome> UploadAsync(string accountId, SignedPrekeyDocument? signedPrekey, IReadOnlyDictionary<uint, byte[]> oneTime, int maxHeld)
        => writer.WriteAsync(scope =>
        {
            var held = scope.Collection<OneTimePrekeyDocument>(Collections.OneTimePrekeys);
            if (oneTime.Keys.Any(id => held.FindById(OneTimeId(accountId, id)) is not null))
            {
                return UploadOutcome.IdHeld;
            }

            if (held.Count(k => k.AccountId == accountId) + oneTime.Count > maxHeld)
            {
                return UploadOutcome.TooMany;
            }

            if (signedPrekey is not null)
            {
                scope.Collection<SignedPrekeyDocument>(Collections.SignedPrekeys).Upsert(signedPrekey);
            }

            if (oneTime.Count > 0)
            {
                held.InsertBulk(oneTime.Select(k => new OneTimePrekeyDocument
                {
                    Id = OneTimeId(accountId, k.Key),
                    AccountId = accountId,
                    KeyId = k.Key,
                    PublicKey = k.Value,
                }));
            }

            return UploadOutcome.Stored;
        });

    /// <summary>Takes one of the account's one-time prekeys out of the directory, durably, or null when none is left.</summary>
    public Task<OneTimePrekeyDocument?> TakeOneTimeAsync(string accountId)
        => writer.WriteAsync(scope =>
        {
            var held = scope.Collection<OneTimePrekeyDocument>(Collections.OneTimePrekeys);
            var key = held.Find(k => k.AccountId == accountId, limit: 1).FirstOrDefault();
            if (key is not null)
            {
                held.Delete(key.Id);
            }

            return key;
        });

    private static string OneTimeId(string accountId, uint keyId) => $"{accountId}/{keyId}";
}

/// <summary>What became of a prekey upload.</summary>
internal enum UploadOutcome
{
    Stored,
    IdHeld,
    TooMany,
}

/// <summary>Indexes of the prekey collections.</summary>
internal sealed class PrekeySchema : IStorageSchema
{
    public void Apply(LiteDatabase database) => database.GetCollection<OneTimePrekeyDocument>(Collections.OneTimePrekeys).EnsureIndex(k => k.AccountId);
}
