namespace SafeMentor.Server.Storage;

/// <summary>
/// The log as LiteDB sees it, with one addition: before a page that confirms a transaction is written, every page
/// written before it is made durable.
/// </summary>
/// <remarks>
/// LiteDB writes a transaction to its log as a run of 8 KiB pages, the last one carrying the "confirmed" flag
/// (byte 18 of the page header). On opening, it replays every transaction whose confirming page it finds. The file
/// system may persist the pages of an unsynced run in any order, so after a power cut the confirming page can be
/// on disk while an earlier page of the same transaction is not, and LiteDB would replay a torn transaction. A
/// flush before the confirming page is the write barrier that rules this out; the flush after the commit
/// (<see cref="DatabaseMedium.SyncLog"/>) then makes the confirming page itself durable.
/// </remarks>
internal sealed class CommitBarrierLog(Stream log) : Stream
{
    /// <summary>LiteDB's page size.</summary>
    public const int PageSize = 8192;

    /// <summary>Offset of the "confirmed" flag in a LiteDB page header.</summary>
    public const int ConfirmedFlagOffset = 18;

    public override bool CanRead => log.CanRead;

    public override bool CanSeek => log.CanSeek;

    public override bool CanWrite => log.CanWrite;

    public override long Length => log.Length;

    public override long Position
    {
        get => log.Position;
        set => log.Position = value;
    }

    public override int Read(byte[] buffer, int offset, int count) => log.Read(buffer, offset, count);

    public override void Write(byte[] buffer, int offset, int count)
    {
        if (count == PageSize && buffer[offset + ConfirmedFlagOffset] != 0)
        {
            log.Flush();
        }

        log.Write(buffer, offset, count);
    }

    public override long Seek(long offset, SeekOrigin origin) => log.Seek(offset, origin);

    public override void SetLength(long value) => log.SetLength(value);

    public override void Flush() => log.Flush();
}
