using System.ComponentModel.DataAnnotations;

namespace SafeMentor.Server.Messaging;

/// <summary>The relay's batching and flow-control settings.</summary>
internal sealed class RelayOptions
{
    public const string SectionName = "SafeMentor:Relay";

    /// <summary>Most envelopes committed in one transaction.</summary>
    [Range(1, 10_000, ErrorMessage = "SafeMentor:Relay:MaxBatchSize must be between 1 and 10000.")]
    public int MaxBatchSize { get; set; } = 512;

    /// <summary>Sustained sends per second per account.</summary>
    [Range(1, 100_000, ErrorMessage = "SafeMentor:Relay:SendsPerSecond must be between 1 and 100000.")]
    public int SendsPerSecond { get; set; } = 50;

    /// <summary>Burst of sends per account above the sustained rate.</summary>
    [Range(1, 100_000, ErrorMessage = "SafeMentor:Relay:SendBurst must be between 1 and 100000.")]
    public int SendBurst { get; set; } = 500;

    /// <summary>How many recently settled envelope ids are remembered so that a resend after the ack gets the same answer.</summary>
    [Range(1_000, 10_000_000, ErrorMessage = "SafeMentor:Relay:RememberedEnvelopeIds must be between 1000 and 10000000.")]
    public int RememberedEnvelopeIds { get; set; } = 100_000;
}
