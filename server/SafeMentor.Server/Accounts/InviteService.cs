using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using SafeMentor.Contracts;
using SafeMentor.Server.Storage;

namespace SafeMentor.Server.Accounts;

/// <summary>
/// Mints and redeems single-use invites. The code is shown once to whoever minted it; only its SHA-256 is
/// stored, so the database alone cannot be used to join. Redeeming happens inside the write that uses the invite
/// (creating an account, adding a role), so an invite is used up exactly when, and only if, that write is durable.
/// </summary>
internal sealed class InviteService(StorageWriter writer, TimeProvider time, IOptions<AuthOptions> options)
{
    private const string Prefix = "smi_";

    /// <summary>Mints an invite, durably; <paramref name="programmeId"/> null means a server coordinator invite.</summary>
    public async Task<InviteResponse> MintAsync(string? programmeId, string role, Action<WriteScope>? alsoWrite = null)
    {
        var code = Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        var now = time.GetUtcNow();
        var expires = now.AddDays(options.Value.InviteDays);
        var invite = new InviteDocument
        {
            Id = Hash(code),
            ProgrammeId = programmeId,
            Role = role,
            CreatedAt = now.UtcDateTime,
            ExpiresAt = expires.UtcDateTime,
        };
        await writer.WriteAsync(scope =>
        {
            scope.Collection<InviteDocument>(Collections.Invites).Insert(invite);
            alsoWrite?.Invoke(scope);
        }).ConfigureAwait(false);
        return new InviteResponse(code, programmeId, role, expires);
    }

    /// <summary>
    /// Inside a write: uses up the invite named by <paramref name="code"/> and returns it, or returns null when it
    /// is unknown, used or expired. Concurrent redemptions are applied one after the other, so only one succeeds.
    /// </summary>
    public InviteDocument? Redeem(WriteScope scope, string? code)
    {
        if (string.IsNullOrEmpty(code) || code.Length > 100)
        {
            return null;
        }

        var invites = scope.Collection<InviteDocument>(Collections.Invites);
        var invite = invites.FindById(Hash(code));
        if (invite is null || StoredTime.ToOffset(invite.ExpiresAt) <= time.GetUtcNow())
        {
            return null;
        }

        invites.Delete(invite.Id);
        return invite;
    }

    private static string Hash(string code) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(code)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
