using System.ComponentModel.DataAnnotations;

namespace SafeMentor.Server.Storage;

/// <summary>How the storage writer batches and when it checkpoints.</summary>
internal sealed class StorageWriterOptions
{
    public const string SectionName = "SafeMentor:Storage";

    /// <summary>Most changes applied in one transaction.</summary>
    [Range(1, 100_000, ErrorMessage = "SafeMentor:Storage:MaxBatchWrites must be between 1 and 100000.")]
    public int MaxBatchWrites { get; set; } = 1024;

    /// <summary>Size of the write-ahead log at which the writer copies it into the data file.</summary>
    [Range(1, 4096, ErrorMessage = "SafeMentor:Storage:CheckpointLogMegabytes must be between 1 and 4096.")]
    public int CheckpointLogMegabytes { get; set; } = 16;
}
