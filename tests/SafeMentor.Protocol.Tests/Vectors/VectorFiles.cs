using System.Text.Json;

namespace SafeMentor.Protocol.Tests.Vectors;

/// <summary>Finds tests/vectors in the repository the tests were built from.</summary>
internal static class VectorFiles
{
    public static string PathOf(string file)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SafeMentor.sln")))
            {
                return Path.Combine(dir.FullName, "tests", "vectors", file);
            }
        }

        throw new FileNotFoundException("The repository root (SafeMentor.sln) was not found above the test binaries.");
    }

    public static string Text(string file) => File.ReadAllText(PathOf(file));

    public static JsonElement[] Load(string file)
    {
        using var doc = JsonDocument.Parse(Text(file));
        return doc.RootElement.EnumerateArray().Select(e => e.Clone()).ToArray();
    }

    public static IEnumerable<object[]> Names(string file) => Load(file).Select(v => new object[] { v.GetProperty("name").GetString()! });

    public static JsonElement Named(string file, string name) => Load(file).Single(v => v.GetProperty("name").GetString() == name);

    public static byte[] Hex(this JsonElement element, string property) => Convert.FromHexString(element.GetProperty(property).GetString()!);
}
