namespace SafeMentor.LoadGenerator.Load;

/// <summary>A growable set of non-negative sequence numbers, one bit each.</summary>
internal sealed class SequenceSet
{
    private ulong[] _bits = new ulong[16];

    public int Count { get; private set; }

    /// <summary>Adds <paramref name="sequence"/>; false if it was already present.</summary>
    public bool Add(long sequence)
    {
        var word = (int)(sequence >> 6);
        if (word >= _bits.Length)
        {
            Array.Resize(ref _bits, Math.Max(word + 1, _bits.Length * 2));
        }

        var mask = 1UL << (int)(sequence & 63);
        if ((_bits[word] & mask) != 0)
        {
            return false;
        }

        _bits[word] |= mask;
        Count++;
        return true;
    }

    public bool Contains(long sequence)
    {
        var word = (int)(sequence >> 6);
        return word < _bits.Length && (_bits[word] & (1UL << (int)(sequence & 63))) != 0;
    }
}
