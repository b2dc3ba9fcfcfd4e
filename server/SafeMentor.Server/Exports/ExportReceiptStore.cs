using System.Security.Cryptography;
using LiteDB;
using SafeMentor.Contracts;
using SafeMentor.Server.Audit;
using SafeMentor.Server.Storage;

namespace SafeMentor.Server.Exports;

/// <summary>Export receipts, one collection, insert and read only.</summary>
internal sealed class ExportReceiptStore(Database database, StorageWriter writer, AuditTrail audit)
{
    private ILiteCollection<ExportReceiptDocument> Receipts => database.Collection<ExportReceiptDocument>(Collections.ExportReceipts);

    public ExportReceiptDocument? Find(string recordHashHex) => Receipts.FindById(recordHashHex);

    /// <summary>
    /// Stores a receipt, durably, with its entry in the audit chain in the same transaction; returns the one already
    /// on file for the same record hash instead, if any.
    /// </summary>
    public Task<ExportReceiptDocument?> TryInsertAsync(ExportReceiptDocument receipt, string programmeId)
        => writer.WriteAsync(scope =>
        {
            var receipts = scope.Collection<ExportReceiptDocument>(Collections.ExportReceipts);
            if (receipts.FindById(receipt.Id) is { } earlier)
            {
                return earlier;
            }

            receipts.Insert(receipt);
            var consentId = Convert.ToHexStringLower(SHA256.HashData(receipt.ConsentSignature));
            audit.Append(scope, AuditRecords.ExportRecorded(
                programmeId, receipt.MentorshipId, receipt.ExporterId, Convert.FromHexString(receipt.Id), receipt.FromMs, receipt.ToMs, [consentId]));
            return (ExportReceiptDocument?)null;
        });

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

/// <summary>Index of the export receipts: by mentorship, for a party's list.</summary>
internal sealed class ExportReceiptSchema : IStorageSchema
{
    public void Apply(LiteDatabase database) => database.GetCollection<ExportReceiptDocument>(Collections.ExportReceipts).EnsureIndex(r => r.MentorshipId);
}
