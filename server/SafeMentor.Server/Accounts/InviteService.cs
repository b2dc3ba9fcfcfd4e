using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using SafeMentor.Contracts;
using SafeMentor.Server.Storage;

namespace SafeMentor.Server.Accounts;

/// <summary>
/// Mints and redeems single-use invites. The code is shown once to whoever minted it; only its SHA-256 is
/// stored, so the database alone cannot be used to join.
/// </summary>
internal sealed class InviteService(Database database, TimeProvider time, IOptions<AuthOptions> options)
{
    private const string Prefix = "smi_";

    private LiteDB.ILiteCollection<InviteDocument> Invites => database.Collection<InviteDocument>(Collections.Invites);

    /// <summary>Mints an invite; <paramref name="programmeId"/> null means a server coordinator invite.</summary>
    public InviteResponse Mint(string? programmeId, string role)
    {
        var code = Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        var now = time.GetUtcNow();
        var expires = now.AddDays(options.Value.InviteDays);
        Invites.Insert(new InviteDocument
        {
            Id = Hash(code),
            ProgrammeId = programmeId,
            Role = role,
            CreatedAt = now.UtcDateTime,
            ExpiresAt = expires.UtcDateTime,
        });
        return new InviteResponse(code, programmeId, role, expires);
    }

    /// <summary>
    /// Whether <paramref name="code"/> names an unused, unexpired invite, without using it up.
    /// </summary>
    public InviteDocument? Peek(string? code)
    {
        if (string.IsNullOrEmpty(code) || code.Length > 100)
        {
            return null;
        }

        var invite = Invites.FindById(Hash(code));
        return invite is not null && StoredTime.ToOffset(invite.ExpiresAt) > time.GetUtcNow() ? invite : null;
    }

    /// <summary>Uses the invite up. Exactly one of several concurrent callers gets true.</summary>
    public bool TryRedeem(InviteDocument invite) => Invites.Delete(invite.Id);

    private static string Hash(string code) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(code)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
