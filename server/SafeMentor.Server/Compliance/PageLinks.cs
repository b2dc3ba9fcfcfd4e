using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using SafeMentor.Contracts;
using SafeMentor.Server.Storage;

namespace SafeMentor.Server.Compliance;

/// <summary>
/// Single-use, short-lived sign-in links for the compliance page. A compliance officer, signed in with their key
/// through the API, asks for one; the token is shown once and only its SHA-256 is stored; using it deletes it.
/// </summary>
internal sealed class PageLinks(StorageWriter writer, TimeProvider time, IOptions<ComplianceOptions> options)
{
    public const string SignInPath = "/compliance/sign-in";

    public async Task<PageLinkResponse> IssueAsync(string accountId, string programmeId)
    {
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var expires = time.GetUtcNow().AddMinutes(options.Value.PageLinkMinutes);
        var link = new PageLinkDocument { Id = Hash(token), AccountId = accountId, ProgrammeId = programmeId, ExpiresAt = expires.UtcDateTime };
        await writer.WriteAsync(scope => scope.Collection<PageLinkDocument>(Collections.PageLinks).Insert(link)).ConfigureAwait(false);
        return new PageLinkResponse($"{SignInPath}?token={token}", expires);
    }

    /// <summary>Uses up the link named by <paramref name="token"/>; null when it is unknown, used or expired.</summary>
    public Task<PageLinkDocument?> RedeemAsync(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 100)
        {
            return Task.FromResult<PageLinkDocument?>(null);
        }

        var id = Hash(token);
        return writer.WriteAsync(scope =>
        {
            var links = scope.Collection<PageLinkDocument>(Collections.PageLinks);
            var link = links.FindById(id);
            if (link is null)
            {
                return null;
            }

            links.Delete(id);
            return StoredTime.ToOffset(link.ExpiresAt) > time.GetUtcNow() ? link : null;
        });
    }

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
