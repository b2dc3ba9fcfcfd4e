using SafeMentor.Protocol.Primitives;

namespace SafeMentor.Protocol.Audit;

/// <summary>
/// The server's signature over the chain head at <see cref="Seq"/>: whoever pins the server's public key can prove
/// that the chain up to that entry existed in this form at <see cref="TimeMs"/>. Seq 0 with a zero head is the
/// empty chain. The signed bytes are <see cref="AuditHashing.CheckpointBytes"/>.
/// </summary>
public sealed record AuditCheckpoint(long Seq, byte[] HeadHash, long TimeMs, byte[] Signature)
{
    /// <summary>Whether <see cref="Signature"/> is a valid Ed25519 signature by <paramref name="serverPublicKey"/> (strict verification).</summary>
    public bool Verify(ReadOnlySpan<byte> serverPublicKey)
    {
        if (serverPublicKey.Length != ProtocolConstants.KeySize || HeadHash is not { Length: AuditHashing.HashSize } || Signature is null || Seq < 0 || TimeMs < 0)
        {
            return false;
        }

        return Crypto.Verify(serverPublicKey, AuditHashing.CheckpointBytes(serverPublicKey, Seq, HeadHash, TimeMs), Signature);
    }

    /// <summary>Names the checkpoint by sequence only.</summary>
    public override string ToString() => $"AuditCheckpoint({Seq})";
}
