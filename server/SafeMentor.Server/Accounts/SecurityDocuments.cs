using LiteDB;
using SafeMentor.Server.Storage;

namespace SafeMentor.Server.Accounts;

/// <summary>
/// What revokes an account's tokens. Id is the account id; an account without one has generation 0 and is not
/// suspended. Every token carries the generation it was issued under: signing out everywhere or a suspension raises
/// it, and every older token stops working.
/// </summary>
internal sealed class AccountStandingDocument
{
    public string Id { get; set; } = "";
    public long Generation { get; set; }
    public DateTime? SuspendedAt { get; set; }

    /// <summary>The programme whose coordinator suspended the account; its coordinators may lift the suspension.</summary>
    public string? SuspendedIn { get; set; }
}

/// <summary>
/// One signed-in device: a family of refresh tokens, each used once. Id is the sign-in id carried in the tokens.
/// <see cref="Sequence"/> is the number of the one refresh token that may still be used; presenting an older one is
/// reuse (it was stolen, or the device was cloned) and ends the sign-in. Deleting the document signs the device out.
/// </summary>
internal sealed class SignInDocument
{
    public string Id { get; set; } = "";
    public string AccountId { get; set; } = "";
    public long Sequence { get; set; }
    public DateTime CreatedAt { get; set; }

    /// <summary>Fixed at sign-in: refreshing never extends it; the client signs in again with its identity key.</summary>
    public DateTime ExpiresAt { get; set; }
}

/// <summary>The collections of <see cref="AccountStandingDocument"/> and <see cref="SignInDocument"/>.</summary>
internal static class SecurityCollections
{
    public const string Standings = "account_standings";
    public const string SignIns = "sign_ins";
}

/// <summary>Indexes of the security collections.</summary>
internal sealed class SecuritySchema : IStorageSchema
{
    public void Apply(LiteDatabase database) => database.GetCollection<SignInDocument>(SecurityCollections.SignIns).EnsureIndex(s => s.AccountId);
}
