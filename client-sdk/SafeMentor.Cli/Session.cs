using System.CommandLine;
using System.Globalization;
using System.Text;
using SafeMentor.Client;
using SafeMentor.Client.Storage;
using Spectre.Console;

namespace SafeMentor.Cli;

/// <summary>Opens the SDK client for a command, from the global options and the environment.</summary>
internal static class Session
{
    public const string DefaultServer = "http://127.0.0.1:5080";

    public static async Task<SafeMentorClient> OpenAsync(ParseResult parse, CliEnvironment env, CancellationToken cancellationToken)
    {
        var storePath = parse.GetValue(CliApp.Store) ?? env.Variable("SAFEMENTOR_STORE")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".safementor", "store.db");
        var server = parse.GetValue(CliApp.Server) ?? env.Variable("SAFEMENTOR_SERVER");
        using var passphrase = ReadPassphrase(parse, env);
        var options = new SafeMentorClientOptions
        {
            StorePath = storePath,
            ServerUrl = server is null ? null : ParseUrl(server),
            Kdf = KdfFrom(env),
        };
        var client = await SafeMentorClient.OpenAsync(options, passphrase, cancellationToken).ConfigureAwait(false);
        if (client.ServerUrl is null)
        {
            await client.DisposeAsync().ConfigureAwait(false);
            return await SafeMentorClient.OpenAsync(
                new SafeMentorClientOptions { StorePath = storePath, ServerUrl = new Uri(DefaultServer), Kdf = options.Kdf },
                passphrase,
                cancellationToken).ConfigureAwait(false);
        }

        return client;
    }

    public static bool IsQuiet(ParseResult parse) => parse.GetValue(CliApp.Quiet);

    /// <summary>
    /// Connects and sends the outbox; with <paramref name="receive"/>, also receives what is queued on the server
    /// (until nothing arrives for a moment). Shows a status line for people.
    /// </summary>
    public static async Task SyncAsync(SafeMentorClient client, ParseResult parse, CliEnvironment env, string what, CancellationToken cancellationToken, bool receive = true)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        async Task RunAsync()
        {
            if (receive)
            {
                await client.SyncAsync(TimeSpan.FromMilliseconds(700), timeout.Token).ConfigureAwait(false);
            }
            else
            {
                await client.StartAsync(timeout.Token).ConfigureAwait(false);
                await client.WaitForOutboxEmptyAsync(timeout.Token).ConfigureAwait(false);
            }
        }

        if (IsQuiet(parse))
        {
            await RunAsync().ConfigureAwait(false);
            return;
        }

        await env.Console.Status().StartAsync(what, async status =>
        {
            client.MessageReceived += (_, e) => status.Status($"{what} (received a message)");
            await RunAsync().ConfigureAwait(false);
        }).ConfigureAwait(false);
    }

    public static string Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static Uri ParseUrl(string server)
        => Uri.TryCreate(server, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"
            ? url
            : throw new CliException($"--server must be an http(s) URL, such as {DefaultServer}.");

    private static KdfParameters KdfFrom(CliEnvironment env)
    {
        // Only for new stores. Tests and scripted demos may choose cheaper parameters; people keep the strong default.
        var memory = env.Variable("SAFEMENTOR_KDF_MEMORY_KIB");
        var passes = env.Variable("SAFEMENTOR_KDF_ITERATIONS");
        return memory is null && passes is null
            ? KdfParameters.Default
            : new KdfParameters(
                long.Parse(memory ?? "65536", CultureInfo.InvariantCulture),
                long.Parse(passes ?? "3", CultureInfo.InvariantCulture),
                1);
    }

    private static Passphrase ReadPassphrase(ParseResult parse, CliEnvironment env)
    {
        var file = parse.GetValue(CliApp.PassphraseFile) ?? env.Variable("SAFEMENTOR_PASSPHRASE_FILE");
        if (file is not null)
        {
            var bytes = File.ReadAllBytes(file);
            try
            {
                var end = Array.IndexOf(bytes, (byte)'\n');
                var length = end < 0 ? bytes.Length : end;
                if (length > 0 && bytes[length - 1] == '\r')
                {
                    length--;
                }

                return Passphrase.FromUtf8(bytes.AsSpan(0, length));
            }
            finally
            {
                System.Security.Cryptography.CryptographicOperations.ZeroMemory(bytes);
            }
        }

        if (env.Variable("SAFEMENTOR_PASSPHRASE") is { Length: > 0 } fromEnvironment)
        {
            return Passphrase.FromUtf8(Encoding.UTF8.GetBytes(fromEnvironment));
        }

        if (!env.Interactive)
        {
            throw new CliException("No passphrase: use --passphrase-file, $SAFEMENTOR_PASSPHRASE_FILE or $SAFEMENTOR_PASSPHRASE (never the passphrase itself as an argument).");
        }

        // Read key by key, without echo, into a buffer that is wiped; never a string.
        var buffer = new char[256];
        var count = 0;
        env.Console.Markup("Passphrase: ");
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                break;
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                count = Math.Max(0, count - 1);
            }
            else if (count < buffer.Length && !char.IsControl(key.KeyChar))
            {
                buffer[count++] = key.KeyChar;
            }
        }

        env.Console.WriteLine();
        try
        {
            return Passphrase.FromChars(buffer.AsSpan(0, count));
        }
        finally
        {
            Array.Clear(buffer);
        }
    }
}
