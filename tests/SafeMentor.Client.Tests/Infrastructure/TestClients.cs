using System.Text;
using SafeMentor.Client.Storage;
using SafeMentor.Contracts;

namespace SafeMentor.Client.Tests.Infrastructure;

/// <summary>SDK clients for tests: each in its own store, with cheap Argon2id parameters so tests stay fast.</summary>
public static class TestClients
{
    public static readonly KdfParameters FastKdf = new(1024, 1, 1);

    public const string Secret = "correct horse battery staple";

    public static readonly GroundRulesInput Rules = new(
        "Be kind. What is said here stays here, unless someone is at risk.",
        TimeSpan.FromDays(14).Ticks / 10_000,
        TimeSpan.FromDays(30).Ticks / 10_000,
        true,
        "Weekdays 9-17",
        48);

    public static string NewStorePath() => Path.Combine(Path.GetTempPath(), "safementor-client-tests", Guid.NewGuid().ToString("N"), "store.db");

    public static Task<SafeMentorClient> OpenAsync(RelayServer server, string? storePath = null, TimeProvider? time = null, string passphrase = Secret)
    {
        using var secret = Passphrase.FromUtf8(Encoding.UTF8.GetBytes(passphrase));
        return SafeMentorClient.OpenAsync(
            new SafeMentorClientOptions
            {
                StorePath = storePath ?? NewStorePath(),
                ServerUrl = server.Url,
                Kdf = FastKdf,
                Time = time ?? TimeProvider.System,
                MaxReconnectDelay = TimeSpan.FromMilliseconds(500),
            },
            secret);
    }
}
