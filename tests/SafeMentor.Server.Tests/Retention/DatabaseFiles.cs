using SafeMentor.Server.Storage;

namespace SafeMentor.Server.Tests.Retention;

/// <summary>Reads the database files of a data folder as bytes, to prove what is, and is not, on disk.</summary>
internal static class DatabaseFiles
{
    public static byte[] Read(string dataDirectory)
    {
        using var all = new MemoryStream();
        foreach (var name in new[] { FileMedium.DataFileName, FileMedium.LogFileName })
        {
            var path = Path.Combine(dataDirectory, name);
            if (File.Exists(path))
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                stream.CopyTo(all);
            }
        }

        return all.ToArray();
    }

    public static bool Contain(string dataDirectory, byte[] needle) => Read(dataDirectory).AsSpan().IndexOf(needle) >= 0;

    public static bool Contain(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;
}
