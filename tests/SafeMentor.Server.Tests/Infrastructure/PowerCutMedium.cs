using SafeMentor.Server.Storage;

namespace SafeMentor.Server.Tests.Infrastructure;

/// <summary>
/// Database files in memory that behave like files on a disk with a write cache: reads see every write at once,
/// but only what was flushed is sure to survive a power cut. <see cref="Cut"/> kills the disk (every later write
/// or flush fails, as the dead machine's would) and returns the images a restart would find: the flushed state,
/// plus an arbitrary subset of the writes made since the last flush, in their order (a disk persists unflushed
/// writes in any order, or not at all).
/// </summary>
internal sealed class PowerCutMedium : DatabaseMedium
{
    private readonly VolatileFile _data;
    private readonly VolatileFile _log;
    private readonly Lock _gate = new();
    private long _writesUntilCut = long.MaxValue;
    private long _flushesUntilCut = long.MaxValue;
    private Random? _cutRandom;

    public PowerCutMedium()
        : this([], [])
    {
    }

    public PowerCutMedium(byte[] data, byte[] log)
    {
        _data = new VolatileFile(this, data);
        _log = new VolatileFile(this, log);
    }

    /// <summary>What the disk kept, once the power is cut.</summary>
    public (byte[] Data, byte[] Log)? Kept { get; private set; }

    public override Stream Data => _data;

    public override Stream Log => _log;

    /// <summary>Bytes read from the data file so far: what a query cost on a cold cache.</summary>
    public long DataBytesRead => _data.BytesRead;

    /// <summary>Flushes so far (data and log together).</summary>
    public long Flushes => _data.Flushes + _log.Flushes;

    public bool IsDead => _data.IsDead;

    /// <summary>Cuts the power: returns the data and log a restart would find, chosen with <paramref name="random"/>.</summary>
    public (byte[] Data, byte[] Log) Cut(Random random)
    {
        lock (_gate)
        {
            Kept ??= (_data.Die(random), _log.Die(random));
            return Kept.Value;
        }
    }

    /// <summary>
    /// Cuts the power during the <paramref name="writes"/>-th write or flush from now (data or log), which then
    /// never happens: a cut that can land between two pages of one commit, or just before a commit's flush.
    /// </summary>
    public void CutAfterWrites(long writes, Random random)
    {
        lock (_gate)
        {
            _writesUntilCut = writes;
            _cutRandom = random;
        }
    }

    /// <summary>
    /// Cuts the power as the <paramref name="flushes"/>-th flush from now begins: everything written since the last
    /// flush is then kept or lost write by write, the moment a missing write barrier would show.
    /// </summary>
    public void CutAtFlush(long flushes, Random random)
    {
        lock (_gate)
        {
            _flushesUntilCut = flushes;
            _cutRandom = random;
        }
    }

    private void BeforeOperation(bool flush)
    {
        lock (_gate)
        {
            if (--_writesUntilCut == 0 || (flush && --_flushesUntilCut == 0))
            {
                Cut(_cutRandom!);
            }
        }
    }

    public override void Dispose()
    {
    }

    private sealed class VolatileFile(PowerCutMedium medium, byte[] initial) : Stream
    {
        private readonly Lock _gate = new();
        private readonly List<Operation> _unflushed = [];
        private readonly Image _current = new(initial);
        private Image _durable = new(initial);
        private long _position;

        public long Flushes { get; private set; }

        public long BytesRead { get; private set; }

        public bool IsDead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => true;

        public override bool CanWrite => true;

        public override long Length
        {
            get
            {
                lock (_gate)
                {
                    return _current.Length;
                }
            }
        }

        public override long Position
        {
            get => _position;
            set => _position = value;
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            lock (_gate)
            {
                var read = _current.Read(_position, buffer.AsSpan(offset, count));
                _position += read;
                BytesRead += read;
                return read;
            }
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            medium.BeforeOperation(flush: false);
            lock (_gate)
            {
                ThrowIfDead();
                var operation = new Operation(_position, buffer.AsSpan(offset, count).ToArray(), null);
                _unflushed.Add(operation);
                operation.ApplyTo(_current);
                _position += count;
            }
        }

        public override void SetLength(long value)
        {
            lock (_gate)
            {
                ThrowIfDead();
                var operation = new Operation(0, null, value);
                _unflushed.Add(operation);
                operation.ApplyTo(_current);
            }
        }

        public override void Flush()
        {
            medium.BeforeOperation(flush: true);
            lock (_gate)
            {
                ThrowIfDead();
                foreach (var operation in _unflushed)
                {
                    operation.ApplyTo(_durable);
                }

                _unflushed.Clear();
                Flushes++;
            }
        }

        public override long Seek(long offset, SeekOrigin origin) => _position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => Length + offset,
        };

        /// <summary>The image after a power cut: the durable bytes and a random subset of later operations, in order.</summary>
        public byte[] Die(Random random)
        {
            lock (_gate)
            {
                IsDead = true;
                foreach (var operation in _unflushed.Where(_ => random.Next(2) == 0))
                {
                    operation.ApplyTo(_durable);
                }

                var image = _durable.ToArray();
                _durable = new Image(image);
                return image;
            }
        }

        private void ThrowIfDead()
        {
            if (IsDead)
            {
                throw new IOException("The power was cut.");
            }
        }

        /// <summary>File contents that grow without copying on every append.</summary>
        private sealed class Image(byte[] initial)
        {
            private byte[] _bytes = [.. initial];

            public int Length { get; private set; } = initial.Length;

            public int Read(long position, Span<byte> destination)
            {
                var available = (int)Math.Max(0, Math.Min(destination.Length, Length - position));
                _bytes.AsSpan((int)position, available).CopyTo(destination);
                return available;
            }

            public void Write(long position, byte[] bytes)
            {
                SetLength(Math.Max(Length, (int)position + bytes.Length));
                bytes.CopyTo(_bytes, (int)position);
            }

            public void SetLength(long length)
            {
                if (length > _bytes.Length)
                {
                    Array.Resize(ref _bytes, (int)Math.Max(length, _bytes.Length * 2L));
                }
                else if (length < Length)
                {
                    _bytes.AsSpan((int)length, Length - (int)length).Clear();
                }

                Length = (int)length;
            }

            public byte[] ToArray() => _bytes[..Length];
        }

        private sealed record Operation(long Position, byte[]? Bytes, long? NewLength)
        {
            public void ApplyTo(Image image)
            {
                if (NewLength is { } length)
                {
                    image.SetLength(length);
                }
                else
                {
                    image.Write(Position, Bytes!);
                }
            }
        }
    }
}
