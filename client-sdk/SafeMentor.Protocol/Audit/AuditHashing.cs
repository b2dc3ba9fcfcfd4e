using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace SafeMentor.Protocol.Audit;

/// <summary>
/// The canonical bytes and hashes of the audit chain (docs/compliance.md, The audit chain), in the notation of
/// docs/protocol.md (<c>lbl</c>, <c>str</c>, big-endian integers):
/// <code>
/// bodyHash  = SHA-256( lbl("SafeMentor/v1/audit-body") || str(programmeId) || str(actor) || str(target)
///                      || str(before) || str(after) )
/// entryHash = SHA-256( lbl("SafeMentor/v1/audit-entry") || u64(seq) || u64(timeMs) || str(action)
///                      || bodyHash (32) || prevHash (32) )
/// </code>
/// The first entry's <c>prevHash</c> is 32 zero bytes. An entry's hash covers its body only through
/// <c>bodyHash</c>, so a body can be withheld (another programme's entry, or removed under retention or erasure)
/// while the chain stays verifiable.
/// </summary>
public static class AuditHashing
{
    /// <summary>Domain label of an entry.</summary>
    public const string EntryLabel = "SafeMentor/v1/audit-entry";

    /// <summary>Domain label of an entry's body.</summary>
    public const string BodyLabel = "SafeMentor/v1/audit-body";

    /// <summary>Domain label of a signed checkpoint.</summary>
    public const string CheckpointLabel = "SafeMentor/v1/audit-checkpoint";

    /// <summary>Size of every hash in the chain (SHA-256).</summary>
    public const int HashSize = 32;

    /// <summary>Most UTF-8 bytes of any string field (a <c>str</c> carries a 16-bit length).</summary>
    public const int MaxFieldBytes = ushort.MaxValue;

    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The <c>prevHash</c> of the first entry, and the head of an empty chain: 32 zero bytes.</summary>
    public static byte[] GenesisHash() => new byte[HashSize];

    /// <summary>The canonical bytes of a body.</summary>
    public static byte[] BodyBytes(AuditBody body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var sink = new ListSink();
        WriteBody(sink, body);
        return sink.ToArray();
    }

    /// <summary><c>bodyHash</c>: SHA-256 of <see cref="BodyBytes"/>.</summary>
    public static byte[] BodyHash(AuditBody body)
    {
        ArgumentNullException.ThrowIfNull(body);
        using var sink = new HashSink();
        WriteBody(sink, body);
        return sink.Finish();
    }

    /// <summary>The canonical bytes of an entry; <paramref name="bodyHash"/> and <paramref name="prevHash"/> are 32 bytes.</summary>
    public static byte[] EntryBytes(long seq, long timeMs, string action, ReadOnlySpan<byte> bodyHash, ReadOnlySpan<byte> prevHash)
    {
        var sink = new ListSink();
        WriteEntry(sink, seq, timeMs, action, bodyHash, prevHash);
        return sink.ToArray();
    }

    /// <summary><c>entryHash</c>: SHA-256 of <see cref="EntryBytes"/>.</summary>
    public static byte[] EntryHash(long seq, long timeMs, string action, ReadOnlySpan<byte> bodyHash, ReadOnlySpan<byte> prevHash)
    {
        using var sink = new HashSink();
        WriteEntry(sink, seq, timeMs, action, bodyHash, prevHash);
        return sink.Finish();
    }

    /// <summary>
    /// The bytes a checkpoint signature covers:
    /// <c>lbl("SafeMentor/v1/audit-checkpoint") || serverPublicKey (32) || u64(seq) || headHash (32) || u64(timeMs)</c>.
    /// </summary>
    public static byte[] CheckpointBytes(ReadOnlySpan<byte> serverPublicKey, long seq, ReadOnlySpan<byte> headHash, long timeMs)
    {
        if (serverPublicKey.Length != ProtocolConstants.KeySize)
        {
            throw new ArgumentException("The server's public key is 32 bytes.", nameof(serverPublicKey));
        }

        RequireHash(headHash, nameof(headHash));
        var sink = new ListSink();
        Label(sink, CheckpointLabel);
        sink.Append(serverPublicKey);
        U64(sink, seq, nameof(seq));
        sink.Append(headHash);
        U64(sink, timeMs, nameof(timeMs));
        return sink.ToArray();
    }

    /// <summary>Whether <paramref name="value"/> fits a <c>str</c> field: valid UTF-16 of at most 65535 UTF-8 bytes.</summary>
    public static bool FitsField(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        try
        {
            return s_strictUtf8.GetByteCount(value) <= MaxFieldBytes;
        }
        catch (EncoderFallbackException)
        {
            return false;
        }
    }

    private static void WriteBody(ISink sink, AuditBody body)
    {
        Label(sink, BodyLabel);
        Str(sink, body.ProgrammeId, nameof(body.ProgrammeId));
        Str(sink, body.Actor, nameof(body.Actor));
        Str(sink, body.Target, nameof(body.Target));
        Str(sink, body.Before, nameof(body.Before));
        Str(sink, body.After, nameof(body.After));
    }

    private static void WriteEntry(ISink sink, long seq, long timeMs, string action, ReadOnlySpan<byte> bodyHash, ReadOnlySpan<byte> prevHash)
    {
        ArgumentNullException.ThrowIfNull(action);
        RequireHash(bodyHash, nameof(bodyHash));
        RequireHash(prevHash, nameof(prevHash));
        Label(sink, EntryLabel);
        U64(sink, seq, nameof(seq));
        U64(sink, timeMs, nameof(timeMs));
        Str(sink, action, nameof(action));
        sink.Append(bodyHash);
        sink.Append(prevHash);
    }

    private static void RequireHash(ReadOnlySpan<byte> hash, string paramName)
    {
        if (hash.Length != HashSize)
        {
            throw new ArgumentException("Audit hashes are 32 bytes.", paramName);
        }
    }

    private static void Label(ISink sink, string label)
    {
        Span<byte> prefix = [checked((byte)label.Length)];
        sink.Append(prefix);
        sink.Append(Encoding.ASCII.GetBytes(label));
    }

    private static void Str(ISink sink, string value, string paramName)
    {
        ArgumentNullException.ThrowIfNull(value, paramName);
        byte[] utf8;
        try
        {
            utf8 = s_strictUtf8.GetBytes(value);
        }
        catch (EncoderFallbackException e)
        {
            throw new ArgumentException("The string is not valid UTF-16 (a lone surrogate).", paramName, e);
        }

        if (utf8.Length > MaxFieldBytes)
        {
            throw new ArgumentException("An audit field is at most 65535 UTF-8 bytes.", paramName);
        }

        Span<byte> length = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(length, (ushort)utf8.Length);
        sink.Append(length);
        sink.Append(utf8);
    }

    private static void U64(ISink sink, long value, string paramName)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value, paramName);
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, (ulong)value);
        sink.Append(bytes);
    }

    private interface ISink
    {
        void Append(ReadOnlySpan<byte> bytes);
    }

    private sealed class ListSink : ISink
    {
        private readonly List<byte> _bytes = new(256);

        public void Append(ReadOnlySpan<byte> bytes)
        {
            foreach (var b in bytes)
            {
                _bytes.Add(b);
            }
        }

        public byte[] ToArray() => [.. _bytes];
    }

    /// <summary>Hashes as it goes: verifying a long chain allocates no buffer per entry.</summary>
    private sealed class HashSink : ISink, IDisposable
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        public void Append(ReadOnlySpan<byte> bytes) => _hash.AppendData(bytes);

        public byte[] Finish() => _hash.GetHashAndReset();

        public void Dispose() => _hash.Dispose();
    }
}
