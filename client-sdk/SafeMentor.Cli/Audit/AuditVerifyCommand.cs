using System.CommandLine;
using System.Text.Json;
using SafeMentor.Contracts;
using SafeMentor.Protocol.Audit;
using Spectre.Console;

namespace SafeMentor.Cli.Audit;

/// <summary>
/// <c>safementor audit verify EXPORT [--checkpoints FILE] [--server-key BASE64]</c>: verifies an exported audit chain
/// and its signed checkpoints offline, without the server, and reports the first broken entry or forged checkpoint.
/// Exit codes: 0 verified, 1 broken or forged, 2 the files could not be read.
/// </summary>
internal static class AuditVerifyCommand
{
    /// <summary>The <c>audit</c> command with its <c>verify</c> subcommand; output goes to <paramref name="console"/> (the terminal by default).</summary>
    public static Command Create(IAnsiConsole? console = null)
    {
        var export = new Argument<FileInfo>("export") { Description = "The audit export (JSON) as the relay's audit endpoint returns it." };
        var checkpoints = new Option<FileInfo?>("--checkpoints") { Description = "More checkpoints to verify against, besides the export's own: a JSON array of checkpoints, or an earlier export." };
        var serverKey = new Option<string?>("--server-key") { Description = "The server's Ed25519 public key in base64, as you pinned it. Without it the key in the export is used, which proves consistency only." };
        var verify = new Command("verify", "Verify an exported audit chain and its signed checkpoints offline.") { export, checkpoints, serverKey };
        verify.SetAction((result, cancellationToken) => new AuditExportVerifier(console ?? AnsiConsole.Console).RunAsync(
            result.GetValue(export)!,
            result.GetValue(checkpoints),
            result.GetValue(serverKey),
            cancellationToken));
        return new Command("audit", "Work with the relay's audit chain.") { verify };
    }
}

/// <summary>The logic of <c>audit verify</c>: reads the files, verifies with a progress display, prints the outcome.</summary>
internal sealed class AuditExportVerifier(IAnsiConsole console)
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    public async Task<int> RunAsync(FileInfo exportFile, FileInfo? checkpointsFile, string? pinnedKey, CancellationToken cancellationToken)
    {
        AuditExportDto export;
        IReadOnlyList<AuditCheckpointDto> checkpoints;
        byte[] key;
        try
        {
            export = await ReadAsync<AuditExportDto>(exportFile, cancellationToken).ConfigureAwait(false);
            checkpoints = checkpointsFile is null ? export.Checkpoints : [.. export.Checkpoints, .. await ReadCheckpointsAsync(checkpointsFile, cancellationToken).ConfigureAwait(false)];
            if (export.Format != AuditFormats.V1)
            {
                throw new InvalidDataException($"unknown export format '{export.Format}'");
            }

            key = Convert.FromBase64String(pinnedKey ?? export.ServerPublicKey);
            if (key.Length != 32)
            {
                throw new InvalidDataException("the server key is not 32 bytes");
            }
        }
        catch (Exception e) when (e is IOException or JsonException or InvalidDataException or FormatException or UnauthorizedAccessException or NotSupportedException)
        {
            console.MarkupLineInterpolated($"[red]Cannot read the export:[/] {e.Message}");
            return 2;
        }

        if (pinnedKey is null)
        {
            console.MarkupLine("[yellow]No --server-key given: checking against the key inside the export, which shows only that export and checkpoints agree. Pin the key you obtained separately.[/]");
        }

        var entries = export.Entries.Select(ToEntry).ToList();
        var signed = checkpoints.Select(c => new AuditCheckpoint(c.Seq, Bytes(c.HeadHash), c.TimeMs, Bytes(c.Signature))).ToList();
        AuditVerification result = null!;
        await console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask("Verifying the audit chain", maxValue: Math.Max(1, entries.Count));
                result = await Task.Run(() => AuditChainVerifier.Verify(entries, signed, key, new TaskProgress(task)), cancellationToken).ConfigureAwait(false);
                task.Value = task.MaxValue;
            }).ConfigureAwait(false);

        if (result.Break is { } broken)
        {
            console.MarkupLineInterpolated($"[red]Broken at seq {broken.Seq} ({broken.Kind.ToString().ToLowerInvariant()}):[/] {broken.Message}");
            console.MarkupLineInterpolated($"Checked {result.EntriesChecked} entries before the break.");
            return 1;
        }

        console.MarkupLineInterpolated($"[green]Verified[/] {result.EntriesChecked} entries (seq 1 to {result.LastSeq}), {result.CheckpointsVerified} signed checkpoints, key {Convert.ToBase64String(key)}.");
        console.MarkupLineInterpolated($"Head {Convert.ToHexStringLower(result.HeadHash)}; {result.WithheldBodies} bodies withheld; {result.UncoveredEntries} entries after the latest checkpoint.");
        return 0;
    }

    private static AuditEntry ToEntry(AuditEntryDto e) => new(
        e.Seq,
        e.TimeMs,
        e.Action,
        Bytes(e.BodyHash),
        Bytes(e.PrevHash),
        Bytes(e.Hash),
        e.Body is { } b ? new AuditBody(b.ProgrammeId, b.Actor, b.Target, b.Before, b.After) : null);

    private static byte[] Bytes(string? base64)
    {
        try
        {
            return base64 is null ? [] : Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            return [];
        }
    }

    private static async Task<T> ReadAsync<T>(FileInfo file, CancellationToken cancellationToken)
    {
        using var stream = file.OpenRead();
        return await JsonSerializer.DeserializeAsync<T>(stream, s_json, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidDataException("the file is empty");
    }

    private static async Task<IReadOnlyList<AuditCheckpointDto>> ReadCheckpointsAsync(FileInfo file, CancellationToken cancellationToken)
    {
        using var stream = file.OpenRead();
        using var document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
        return document.RootElement.ValueKind == JsonValueKind.Array
            ? document.RootElement.Deserialize<List<AuditCheckpointDto>>(s_json) ?? []
            : document.RootElement.Deserialize<AuditExportDto>(s_json)?.Checkpoints ?? [];
    }

    /// <summary>Moves the progress bar from the verifier's thread; Spectre's task value is safe to set from there.</summary>
    private sealed class TaskProgress(ProgressTask task) : IProgress<long>
    {
        public void Report(long value) => task.Value = value;
    }
}
