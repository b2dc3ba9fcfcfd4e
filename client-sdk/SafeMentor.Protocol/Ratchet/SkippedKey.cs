namespace SafeMentor.Protocol.Ratchet;

/// <summary>A message key stored for a message not yet received, under (ratchet public key, message number).</summary>
internal sealed record SkippedKey(byte[] RatchetKey, uint Number, byte[] MessageKey);
