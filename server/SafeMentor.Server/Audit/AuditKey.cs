using Microsoft.Extensions.Options;
using SafeMentor.Protocol.Audit;
using SafeMentor.Server.Storage;

namespace SafeMentor.Server.Audit;

/// <summary>
/// The server's Ed25519 checkpoint key, kept as its 32-byte seed in <c>audit-signing.key</c> in the data folder.
/// Created on the first start, readable and writable by the server's user only; never logged. Its public half is
/// published (an endpoint, the compliance page, every checkpoint) so that auditors pin it.
/// </summary>
internal sealed partial class AuditKey : IDisposable
{
    public const string FileName = "audit-signing.key";

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly AuditSigningKey _key;

    public AuditKey(IOptions<StorageOptions> options, ILogger<AuditKey> logger)
    {
        var folder = Path.GetFullPath(options.Value.DataDirectory);
        Directory.CreateDirectory(folder);
        _key = LoadOrCreate(Path.Combine(folder, FileName), logger);
    }

    public byte[] PublicKey => _key.PublicKey;

    public AuditCheckpoint Sign(long seq, byte[] headHash, long timeMs) => _key.SignCheckpoint(seq, headHash, timeMs);

    public void Dispose() => _key.Dispose();

    private static AuditSigningKey LoadOrCreate(string path, ILogger logger)
    {
        Span<byte> seed = stackalloc byte[32];
        try
        {
            if (File.Exists(path))
            {
                if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & ~OwnerOnly) != 0)
                {
                    File.SetUnixFileMode(path, OwnerOnly);
                    LogPermissionsTightened(logger);
                }

                using var stream = File.OpenRead(path);
                stream.ReadExactly(seed);
                if (stream.ReadByte() != -1)
                {
                    throw new StorageUnavailableException($"The audit signing key {path} is not a 32-byte key file.");
                }

                return AuditSigningKey.Import(seed);
            }

            var key = AuditSigningKey.Create();
            key.ExportSeed(seed);
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Options = FileOptions.WriteThrough };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = OwnerOnly;
            }

            using (var stream = new FileStream(path, options))
            {
                stream.Write(seed);
                stream.Flush(flushToDisk: true);
            }

            LogCreated(logger);
            return key;
        }
        catch (EndOfStreamException e)
        {
            throw new StorageUnavailableException($"The audit signing key {path} is not a 32-byte key file.", e);
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(seed);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Created the audit signing key in the data folder")]
    private static partial void LogCreated(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The audit signing key file was readable by others; its permissions were reduced to the server's user")]
    private static partial void LogPermissionsTightened(ILogger logger);
}
