using System.Text;
using SafeMentor.Client;
using SafeMentor.Client.Storage;

// A client process for crash tests. It opens an existing store, connects, writes --send texts, and with
// --pause-after-save K stops forever right after the K-th wire message was saved durably and before it is sent,
// printing "SAVED <envelopeId>" so the test can kill it there. Without a pause it prints "DRAINED" once the outbox
// is empty and exits. The passphrase comes from the environment variable named by --passphrase-env.
var options = Parse(args);
using var passphrase = Passphrase.FromUtf8(Encoding.UTF8.GetBytes(Environment.GetEnvironmentVariable(options["passphrase-env"]) ?? ""));
await using var client = await SafeMentorClient.OpenAsync(
    new SafeMentorClientOptions { StorePath = options["store"], ServerUrl = new Uri(options["server"]), Kdf = new KdfParameters(1024, 1, 1) },
    passphrase);

var pauseAfter = int.Parse(options.GetValueOrDefault("pause-after-save", "0"), System.Globalization.CultureInfo.InvariantCulture);
var saved = 0;
client.BeforeTransmit = async entry =>
{
    if (++saved == pauseAfter)
    {
        Console.WriteLine($"SAVED {entry.EnvelopeId}");
        await Console.Out.FlushAsync();
        await Task.Delay(Timeout.Infinite);
    }
};

using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
await client.GetMentorshipsAsync(timeout.Token);
var count = int.Parse(options.GetValueOrDefault("send", "0"), System.Globalization.CultureInfo.InvariantCulture);
for (var i = 0; i < count; i++)
{
    await client.SendTextAsync(options["mentorship"], $"{options.GetValueOrDefault("prefix", "message")} {i}", timeout.Token);
}

await client.StartAsync(timeout.Token);
await client.WaitForOutboxEmptyAsync(timeout.Token);
Console.WriteLine("DRAINED");
return 0;

static Dictionary<string, string> Parse(string[] args)
{
    var result = new Dictionary<string, string>(StringComparer.Ordinal);
    for (var i = 0; i + 1 < args.Length; i += 2)
    {
        result[args[i].TrimStart('-')] = args[i + 1];
    }

    return result;
}
