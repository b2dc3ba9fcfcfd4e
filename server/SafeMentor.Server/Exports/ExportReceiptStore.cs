using LiteDB;
using SafeMentor.Contracts;
using SafeMentor.Server.Storage;

namespace SafeMentor.Server.Exports;

/// <summary>Export receipts, one collection, insert and read only.</summary>
internal sealed class ExportReceiptStore
{
    private readonly Database _database;

    public ExportReceiptStore(Database database)
    {
        _database = database;
        Receipts.EnsureIndex(r => r.MentorshipId);
    }

    private ILiteCollection<ExportReceiptDocument> Receipts => _database.Collection<ExportReceiptDocument>(Collections.ExportReceipts);

    public ExportReceiptDocument? Find(string recordHashHex) => Receipts.FindById(recordHashHex);

    /// <summary>Stores a receipt; false when one with the same record hash is already on file.</summary>
    public bool TryInsert(ExportReceiptDocument receipt)
    {
        try
        {
            Receipts.Insert(receipt);
            return true;
        }
        catch (LiteException e) when (e.ErrorCode == LiteException.INDEX_DUPLICATE_KEY)
        {
            return false;
        }
    }

    public IReadOnlyList<ExportReceiptDocument> OfMentorship(string mentorshipId)
        => [.. Receipts.Find(r => r.MentorshipId == mentorshipId).OrderBy(r => r.ReceivedAt).ThenBy(r => r.Id, StringComparer.Ordinal)];

    public static ExportReceiptDto ToDto(ExportReceiptDocument r) => new(
        r.MentorshipId,
        r.ExporterId,
        r.CounterpartId,
        Convert.ToBase64String(Convert.FromHexString(r.Id)),
        r.FromMs,
        r.ToMs,
        checked((uint)r.MessageCount),
        r.Purpose,
        r.Recipient,
        StoredTime.ToOffset(r.ReceivedAt));
}
