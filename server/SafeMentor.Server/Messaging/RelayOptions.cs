using System.ComponentModel.DataAnnotations;

namespace SafeMentor.Server.Messaging;

/// <summary>The relay's flow control: rates, quotas, pipelining and delivery windows.</summary>
internal sealed class RelayOptions
{
    public const string SectionName = "SafeMentor:Relay";

    /// <summary>Sustained sends per second per account.</summary>
    [Range(1, 1_000_000, ErrorMessage = "SafeMentor:Relay:SendsPerSecond must be between 1 and 1000000.")]
    public int SendsPerSecond { get; set; } = 50;

    /// <summary>Burst of sends per account above the sustained rate.</summary>
    [Range(1, 1_000_000, ErrorMessage = "SafeMentor:Relay:SendBurst must be between 1 and 1000000.")]
    public int SendBurst { get; set; } = 500;

    /// <summary>Most envelopes held for one recipient in one mentorship; a send beyond it is refused with <c>queue_full</c>.</summary>
    [Range(1, 10_000_000, ErrorMessage = "SafeMentor:Relay:MaxQueuedEnvelopes must be between 1 and 10000000.")]
    public int MaxQueuedEnvelopes { get; set; } = 2000;

    /// <summary>Most ciphertext bytes held for one recipient in one mentorship.</summary>
    [Range(65_536, 1L << 40, ErrorMessage = "SafeMentor:Relay:MaxQueuedBytes must be between 65536 and 2^40.")]
    public long MaxQueuedBytes { get; set; } = 32L * 1024 * 1024;

    /// <summary>Hub invocations (sends and acknowledgements) one connection may have running at once; more wait their turn, in order.</summary>
    [Range(1, 1024, ErrorMessage = "SafeMentor:Relay:MaxInFlightPerConnection must be between 1 and 1024.")]
    public int MaxInFlightPerConnection { get; set; } = 32;

    /// <summary>Envelopes delivered to one connection and not yet acknowledged; delivery waits for acknowledgements beyond it.</summary>
    [Range(1, 100_000, ErrorMessage = "SafeMentor:Relay:DeliveryWindow must be between 1 and 100000.")]
    public int DeliveryWindow { get; set; } = 256;

    /// <summary>Envelopes kept in memory per connected recipient for live delivery; older ones are read back from disk.</summary>
    [Range(1, 1_000_000, ErrorMessage = "SafeMentor:Relay:LiveEnvelopesPerRecipient must be between 1 and 1000000.")]
    public int LiveEnvelopesPerRecipient { get; set; } = 1024;

    /// <summary>Ciphertext bytes kept in memory per connected recipient for live delivery.</summary>
    [Range(65_536, 1L << 32, ErrorMessage = "SafeMentor:Relay:LiveBytesPerRecipient must be between 65536 and 2^32.")]
    public long LiveBytesPerRecipient { get; set; } = 4L * 1024 * 1024;

    /// <summary>How many recently settled envelope ids are remembered so that a resend after the ack gets the same answer.</summary>
    [Range(1_000, 10_000_000, ErrorMessage = "SafeMentor:Relay:RememberedEnvelopeIds must be between 1000 and 10000000.")]
    public int RememberedEnvelopeIds { get; set; } = 100_000;

    /// <summary>
    /// How long an envelope for a connected recipient waits for its acknowledgement before it is written; 0 writes
    /// every envelope at once. Acknowledged within it, an envelope is never written.
    /// </summary>
    [Range(0, 1000, ErrorMessage = "SafeMentor:Relay:LiveAckGraceMilliseconds must be between 0 and 1000.")]
    public int LiveAckGraceMilliseconds { get; set; } = 200;
}
