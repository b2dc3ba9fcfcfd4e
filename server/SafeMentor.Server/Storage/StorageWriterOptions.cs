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

    /// <summary>Whether the server gives the space of deleted documents back when it starts (see <see cref="DataFileCompaction"/>).</summary>
    public bool CompactAtStart { get; set; } = true;

    /// <summary>Empty space in the data file, in MiB, from which compacting at start is worth it.</summary>
    [Range(0, 1_000_000, ErrorMessage = "SafeMentor:Storage:CompactFreeMegabytes must be between 0 and 1000000.")]
    public int CompactFreeMegabytes { get; set; } = 64;

    /// <summary>Share of the data file, in percent, that must be empty for compacting at start to be worth it.</summary>
    [Range(0, 100, ErrorMessage = "SafeMentor:Storage:CompactFreePercent must be between 0 and 100.")]
    public int CompactFreePercent { get; set; } = 25;
}
