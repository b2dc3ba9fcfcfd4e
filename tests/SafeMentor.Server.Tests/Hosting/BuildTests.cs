using System.Reflection.Metadata;
using System.Text;

namespace SafeMentor.Server.Tests.Hosting;

/// <summary>What the build leaves in the binaries: nothing about the machine or folder it ran in.</summary>
public sealed class BuildTests
{
    public static TheoryData<string> Assemblies => new() { "SafeMentor.Server", "SafeMentor.Protocol", "SafeMentor.Contracts" };

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void Binaries_SourcePaths_AreMappedAwayFromTheBuildFolder(string assembly)
    {
        var root = RepositoryRoot();
        var folder = AppContext.BaseDirectory;

        var dll = File.ReadAllBytes(Path.Combine(folder, assembly + ".dll"));
        Assert.True(dll.AsSpan().IndexOf(Encoding.UTF8.GetBytes(root)) < 0, $"{assembly}.dll names the build folder");

        using var pdb = MetadataReaderProvider.FromPortablePdbStream(File.OpenRead(Path.Combine(folder, assembly + ".pdb")));
        var reader = pdb.GetMetadataReader();
        var documents = reader.Documents.Select(d => reader.GetString(reader.GetDocument(d).Name)).ToList();
        Assert.NotEmpty(documents);
        Assert.All(documents, path => Assert.StartsWith("/_/", path, StringComparison.Ordinal));
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SafeMentor.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("The repository root (SafeMentor.sln) was not found above the test binaries.");
    }
}
