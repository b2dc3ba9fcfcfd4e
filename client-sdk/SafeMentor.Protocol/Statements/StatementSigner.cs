using SafeMentor.Protocol.Identity;

namespace SafeMentor.Protocol.Statements;

/// <summary>Signs statements with a local identity and verifies them against a registered public identity.</summary>
public static class StatementSigner
{
    /// <summary>Signs <paramref name="statement"/> with IKs of <paramref name="signer"/>; returns the 64-byte signature.</summary>
    public static byte[] Sign(LocalIdentity signer, ISignedStatement statement)
    {
        ArgumentNullException.ThrowIfNull(signer);
        ArgumentNullException.ThrowIfNull(statement);
        return signer.Sign(statement.ToSignedBytes());
    }

    /// <summary>Whether <paramref name="signature"/> is <paramref name="signer"/>'s signature of <paramref name="statement"/>.</summary>
    public static bool Verify(PublicIdentity signer, ISignedStatement statement, ReadOnlySpan<byte> signature)
    {
        ArgumentNullException.ThrowIfNull(signer);
        ArgumentNullException.ThrowIfNull(statement);
        return signer.VerifySignature(statement.ToSignedBytes(), signature);
    }

    /// <summary>Like <see cref="Verify(PublicIdentity, ISignedStatement, ReadOnlySpan{byte})"/>, from the raw 32-byte IKs_pub the server stores.</summary>
    public static bool Verify(ReadOnlySpan<byte> signingPublicKey, ISignedStatement statement, ReadOnlySpan<byte> signature)
    {
        ArgumentNullException.ThrowIfNull(statement);
        return Primitives.Crypto.Verify(signingPublicKey, statement.ToSignedBytes(), signature);
    }

    /// <summary>Throws <see cref="ProtocolError.InvalidSignature"/> unless the signature verifies.</summary>
    public static void RequireValid(PublicIdentity signer, ISignedStatement statement, ReadOnlySpan<byte> signature)
    {
        if (!Verify(signer, statement, signature))
        {
            throw new ProtocolException(ProtocolError.InvalidSignature, "The statement's signature does not verify.");
        }
    }
}
