using SafeMentor.Protocol.Identity;
using SafeMentor.Protocol.Statements;

namespace SafeMentor.Server.Accounts;

/// <summary>
/// Checks answers to sign-in challenges. A sign-in for an account that does not exist is verified too, against a
/// stand-in key made at start, so that a failed sign-in does the same work, and takes the same time, whether or not
/// the account exists: timing does not tell a stranger which account ids are registered.
/// </summary>
internal sealed class SignInVerifier
{
    private readonly byte[] _standIn;
    private long _verifications;

    public SignInVerifier()
    {
        using var standIn = LocalIdentity.Create();
        _standIn = standIn.Public.SigningKey.ToArray();
    }

    /// <summary>Signature verifications made so far (for tests).</summary>
    public long Verifications => Interlocked.Read(ref _verifications);

    /// <summary>Whether <paramref name="signature"/> answers <paramref name="nonce"/> for the account; false for an unknown account.</summary>
    public bool Verify(byte[]? signingKey, string accountId, byte[] nonce, byte[] signature)
    {
        Interlocked.Increment(ref _verifications);
        var verified = StatementSigner.Verify(signingKey ?? _standIn, new AuthStatement(accountId, nonce), signature);
        return verified && signingKey is not null;
    }
}
