using Microsoft.Win32.SafeHandles;

namespace SafeMentor.Server.Storage;

/// <summary>
/// A file as a seekable stream with no buffering of its own, whose <see cref="Flush()"/> is an fsync: what was
/// written before it returns is on stable storage. Reads and writes are positional system calls, so nothing is
/// held back in process memory where a crash could lose it after it was reported durable.
/// </summary>
internal sealed class DurableFile : Stream
{
    private readonly SafeFileHandle _handle;
    private long _position;

    public DurableFile(string path)
    {
        _handle = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, FileOptions.RandomAccess);
    }

    /// <summary>How many times the file was flushed to stable storage (diagnostics and tests).</summary>
    public long Syncs { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => true;

    public override long Length => RandomAccess.GetLength(_handle);

    public override long Position
    {
        get => _position;
        set => _position = value;
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var read = RandomAccess.Read(_handle, buffer.AsSpan(offset, count), _position);
        _position += read;
        return read;
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        RandomAccess.Write(_handle, buffer.AsSpan(offset, count), _position);
        _position += count;
    }

    public override long Seek(long offset, SeekOrigin origin) => _position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => _position + offset,
        _ => Length + offset,
    };

    public override void SetLength(long value) => RandomAccess.SetLength(_handle, value);

    public override void Flush()
    {
        RandomAccess.FlushToDisk(_handle);
        Syncs++;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _handle.Dispose();
        }

        base.Dispose(disposing);
    }
}
