using SafeMentor.Protocol.Primitives;

namespace SafeMentor.Protocol.Statements;

/// <summary>
/// The answer to a sign-in challenge: <c>lbl("SafeMentor/v1/auth") || str(accountId) || nonce (32)</c>,
/// where <c>accountId</c> is the signer's own.
/// </summary>
public sealed record AuthStatement : ISignedStatement
{
    internal const string Label = "SafeMentor/v1/auth";

    /// <summary>Creates the statement; a nonce that is not 32 bytes is misuse.</summary>
    public AuthStatement(string accountId, byte[] nonce)
    {
        ArgumentNullException.ThrowIfNull(accountId);
        ArgumentNullException.ThrowIfNull(nonce);
        if (nonce.Length != ProtocolConstants.NonceSize)
        {
            throw new ArgumentException("A challenge nonce is 32 bytes.", nameof(nonce));
        }

        AccountId = accountId;
        Nonce = nonce.ToArray();
    }

    /// <summary>The signer's own account id.</summary>
    public string AccountId { get; }

    /// <summary>The server's 32-byte challenge.</summary>
    public byte[] Nonce { get; }

    /// <inheritdoc />
    public byte[] ToSignedBytes() => new ByteBuilder().Label(Label).Str(AccountId, nameof(AccountId)).Bytes(Nonce).ToArray();
}
