using System.ComponentModel.DataAnnotations;

namespace SafeMentor.Server.Storage;

/// <summary>Where the server keeps its state: the LiteDB file, the DataProtection key ring and the log files.</summary>
internal sealed class StorageOptions
{
    public const string SectionName = "SafeMentor";

    /// <summary>The data folder; relative paths are resolved against the working directory.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "SafeMentor:DataDirectory must name a folder.")]
    public string DataDirectory { get; set; } = "./data";

    /// <summary>The data folder as an absolute path, read straight from configuration (needed before options exist).</summary>
    public static string ResolveDataDirectory(IConfiguration configuration)
    {
        var configured = configuration[$"{SectionName}:{nameof(DataDirectory)}"];
        return Path.GetFullPath(string.IsNullOrWhiteSpace(configured) ? "./data" : configured);
    }
}
