using System.Diagnostics;
using SafeMentor.Protocol.Identity;
using SafeMentor.Protocol.Prekeys;

namespace SafeMentor.LoadGenerator.Relay;

/// <summary>A relay account made by the bench: real identity and prekeys (Protocol library), and its current access token.</summary>
internal sealed class BenchAccount : IDisposable
{
    public BenchAccount(string pseudonym)
    {
        Pseudonym = pseudonym;
        Identity = LocalIdentity.Create();
        Prekeys = LocalPrekeys.Create(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
    }

    public string Pseudonym { get; }

    public LocalIdentity Identity { get; }

    public LocalPrekeys Prekeys { get; }

    public string AccountId => Identity.AccountId;

    public string? AccessToken { get; private set; }

    private long _tokenIssued;

    /// <summary>How long ago the access token was issued.</summary>
    public TimeSpan TokenAge => AccessToken is null ? TimeSpan.MaxValue : Stopwatch.GetElapsedTime(_tokenIssued);

    public void UseToken(string accessToken)
    {
        AccessToken = accessToken;
        _tokenIssued = Stopwatch.GetTimestamp();
    }

    public void Dispose()
    {
        Identity.Dispose();
        Prekeys.Dispose();
    }
}

/// <summary>A matched mentor and mentee whose mentorship has both consents, so the relay forwards between them.</summary>
internal sealed record BenchPair(BenchAccount Mentor, BenchAccount Mentee, string MentorshipId);
