namespace SafeMentor.Protocol.Statements;

/// <summary>A statement with an exact byte encoding that an identity signs with IKs (docs/protocol.md, Signed statements).</summary>
public interface ISignedStatement
{
    /// <summary>The exact bytes that are signed.</summary>
    byte[] ToSignedBytes();
}
