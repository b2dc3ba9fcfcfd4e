using System.CommandLine;
using System.Text.Json;
using SafeMentor.Cli.Audit;
using SafeMentor.Contracts;
using SafeMentor.Protocol.Audit;
using Spectre.Console;

namespace SafeMentor.Cli.Tests.Audit;

/// <summary>
/// <c>safementor audit verify</c> on export files, without a server: an untouched chain passes, and an edited,
/// deleted, inserted or reordered entry, or a forged checkpoint, is reported at the right sequence number.
/// </summary>
public sealed class AuditVerifyCommandTests : IDisposable
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);
    private readonly AuditSigningKey _server = AuditSigningKey.Create();
    private readonly string _folder = Directory.CreateTempSubdirectory("safementor-cli-tests").FullName;

    public void Dispose()
    {
        _server.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Verify_UntouchedExport_ExitsZeroAndSaysVerified()
    {
        var (code, output) = await RunAsync(Export(20), pinned: true);

        Assert.Equal(0, code);
        Assert.Contains("Verified 20 entries", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_EditedEntry_ReportsItsSeq()
    {
        var export = Export(20);
        var entries = export.Entries.ToList();
        entries[6] = entries[6] with { Body = entries[6].Body! with { After = """{"undeliveredRetentionMs":1}""" } };

        var (code, output) = await RunAsync(export with { Entries = entries }, pinned: true);

        Assert.Equal(1, code);
        Assert.Contains("Broken at seq 7 (edited)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_DeletedEntry_ReportsItsSeq()
    {
        var export = Export(20);
        var entries = export.Entries.ToList();
        entries.RemoveAt(11);

        var (code, output) = await RunAsync(export with { Entries = entries }, pinned: true);

        Assert.Equal(1, code);
        Assert.Contains("Broken at seq 12 (deleted)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_InsertedEntry_ReportsItsSeq()
    {
        var export = Export(20);
        var entries = export.Entries.ToList();
        var forged = AuditEntry.Create(5, entries[4].TimeMs, "retention.policy_changed", new AuditBody("pg_1", "sm_forger", "pg_1", "", "{}"), Convert.FromBase64String(entries[3].Hash));
        entries.Insert(4, Dto(forged));

        var (code, output) = await RunAsync(export with { Entries = entries }, pinned: true);

        Assert.Equal(1, code);
        Assert.Contains("Broken at seq 5 (inserted)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_ReorderedEntries_ReportsTheFirstOutOfPlace()
    {
        var export = Export(20);
        var entries = export.Entries.ToList();
        (entries[8], entries[9]) = (entries[9], entries[8]);

        var (code, output) = await RunAsync(export with { Entries = entries }, pinned: true);

        Assert.Equal(1, code);
        Assert.Contains("Broken at seq 9 (reordered)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_ForgedCheckpointInASeparateFile_IsReported()
    {
        var export = Export(20);
        using var impostor = AuditSigningKey.Create();
        var head = export.Entries[^1];
        var forged = impostor.SignCheckpoint(head.Seq, Convert.FromBase64String(head.Hash), 1);
        var checkpoints = Path.Combine(_folder, "checkpoints.json");
        await File.WriteAllTextAsync(checkpoints, JsonSerializer.Serialize(new[] { new AuditCheckpointDto(forged.Seq, Convert.ToBase64String(forged.HeadHash), forged.TimeMs, Convert.ToBase64String(forged.Signature)) }, s_json));

        var (code, output) = await RunAsync(export, pinned: true, "--checkpoints", checkpoints);

        Assert.Equal(1, code);
        Assert.Contains("Broken at seq 20 (forgedcheckpoint)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_AgainstAnotherPinnedKey_ReportsTheCheckpointAsForged()
    {
        using var other = AuditSigningKey.Create();

        var (code, output) = await RunAsync(Export(5), pinned: false, "--server-key", Convert.ToBase64String(other.PublicKey));

        Assert.Equal(1, code);
        Assert.Contains("forgedcheckpoint", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_WithoutAPinnedKey_WarnsThatItProvesConsistencyOnly()
    {
        var (code, output) = await RunAsync(Export(5), pinned: false);

        Assert.Equal(0, code);
        Assert.Contains("No --server-key given", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_UnreadableFile_ExitsTwo()
    {
        var path = Path.Combine(_folder, "broken.json");
        await File.WriteAllTextAsync(path, "{ not json");

        var (code, output) = await InvokeAsync("audit", "verify", path);

        Assert.Equal(2, code);
        Assert.Contains("Cannot read the export", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_LongChain_FinishesWithAProgressDisplay()
    {
        var (code, output) = await RunAsync(Export(20_000), pinned: true);

        Assert.Equal(0, code);
        Assert.Contains("Verified 20000 entries", output, StringComparison.Ordinal);
    }

    private AuditExportDto Export(int count)
    {
        var entries = new List<AuditEntryDto>();
        var prev = AuditHashing.GenesisHash();
        for (var seq = 1; seq <= count; seq++)
        {
            var entry = AuditEntry.Create(seq, 1_800_000_000_000 + seq, seq % 3 == 0 ? "consent.accepted" : "compliance.read", new AuditBody("pg_1", $"sm_{seq}", "ms_1", "", $"{{\"n\":{seq}}}"), prev);
            entries.Add(Dto(entry));
            prev = entry.Hash;
        }

        var checkpoint = _server.SignCheckpoint(count, prev, 1_900_000_000_000);
        return new AuditExportDto(AuditFormats.V1, Convert.ToBase64String(_server.PublicKey), "pg_1", DateTimeOffset.UnixEpoch, entries, [new AuditCheckpointDto(checkpoint.Seq, Convert.ToBase64String(checkpoint.HeadHash), checkpoint.TimeMs, Convert.ToBase64String(checkpoint.Signature))]);
    }

    private static AuditEntryDto Dto(AuditEntry e) => new(
        e.Seq,
        e.TimeMs,
        e.Action,
        Convert.ToBase64String(e.BodyHash),
        Convert.ToBase64String(e.PrevHash),
        Convert.ToBase64String(e.Hash),
        new AuditBodyDto(e.Body!.ProgrammeId, e.Body.Actor, e.Body.Target, e.Body.Before, e.Body.After),
        null);

    private async Task<(int Code, string Output)> RunAsync(AuditExportDto export, bool pinned, params string[] more)
    {
        var path = Path.Combine(_folder, Guid.NewGuid().ToString("N") + ".json");
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(export, s_json));
        string[] args = ["audit", "verify", path, .. pinned ? ["--server-key", Convert.ToBase64String(_server.PublicKey)] : Array.Empty<string>(), .. more];
        return await InvokeAsync(args);
    }

    private static async Task<(int Code, string Output)> InvokeAsync(params string[] args)
    {
        using var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        var root = new RootCommand { AuditVerifyCommand.Create(console) };
        var code = await root.Parse(args).InvokeAsync();
        return (code, writer.ToString().ReplaceLineEndings(" "));
    }
}
