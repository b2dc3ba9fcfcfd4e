using SafeMentor.Cli.Tests.Infrastructure;
using SafeMentor.Client.Tests.Infrastructure;

namespace SafeMentor.Cli.Tests;

/// <summary>The terminal client's commands, run in this process against a test relay.</summary>
public sealed class CommandTests
{
    private static readonly Dictionary<string, string?> s_none = new(StringComparer.Ordinal);

    [Theory]
    [InlineData("init")]
    [InlineData("join")]
    [InlineData("whoami")]
    [InlineData("mentorships")]
    [InlineData("rules", "show")]
    [InlineData("rules", "consent")]
    [InlineData("rules", "withdraw")]
    [InlineData("chat")]
    [InlineData("send")]
    [InlineData("history")]
    [InlineData("sync")]
    [InlineData("safety-number")]
    [InlineData("export", "request")]
    [InlineData("export", "requests")]
    [InlineData("export", "approve")]
    [InlineData("export", "decline")]
    [InlineData("export", "create")]
    [InlineData("verify")]
    [InlineData("programme", "create")]
    [InlineData("programme", "show")]
    [InlineData("invite")]
    [InlineData("match")]
    [InlineData("end")]
    [InlineData("members")]
    public async Task Help_EveryCommand_DescribesItself(params string[] command)
    {
        var (exit, output) = await CliRunner.RunAsync(s_none, "", [.. command, "--help"]);

        Assert.Equal(0, exit);
        Assert.Contains("Usage:", output, StringComparison.Ordinal);
        Assert.Contains("--store", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Join_UnknownInvite_ExplainsTheCodeInWords()
    {
        await using var server = RelayServer.Start();
        var person = CliRunner.Person(server.Url, CliRunner.NewFolder(), "someone");

        var (exit, output) = await CliRunner.RunAsync(person, "", "join", "smi_not-a-real-invite");

        Assert.Equal(1, exit);
        Assert.Contains("invite code is unknown, already used or expired", output, StringComparison.Ordinal);
        Assert.Contains("invite_invalid", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnyCommand_WrongPassphraseOrNone_RefusedWithoutAPrompt()
    {
        await using var server = RelayServer.Start();
        var folder = CliRunner.NewFolder();
        var person = CliRunner.Person(server.Url, folder, "someone");
        Assert.Equal(0, (await CliRunner.RunAsync(person, "", "init")).Exit);

        var wrong = new Dictionary<string, string?>(person) { ["SAFEMENTOR_PASSPHRASE"] = "guess" };
        var (exit, output) = await CliRunner.RunAsync(wrong, "", "whoami");
        Assert.Equal(1, exit);
        Assert.Contains("the passphrase does not open this store", output, StringComparison.Ordinal);

        var none = new Dictionary<string, string?>(person) { ["SAFEMENTOR_PASSPHRASE"] = null };
        (exit, output) = await CliRunner.RunAsync(none, "", "whoami");
        Assert.Equal(1, exit);
        Assert.Contains("never the passphrase itself as an argument", output, StringComparison.Ordinal);

        var file = Path.Combine(folder, "passphrase.txt");
        await File.WriteAllTextAsync(file, CliRunner.Passphrase + "\n");
        (exit, _) = await CliRunner.RunAsync(none, "", "--passphrase-file", file, "-q", "whoami");
        Assert.Equal(0, exit);
    }

    [Fact]
    public async Task Chat_LinesTyped_SentAndCounterpartRepliesArriveWhileTyping()
    {
        await using var server = RelayServer.Start();
        var folder = CliRunner.NewFolder();
        var (mentor, mentee, mentorship) = await MatchedAsync(server, folder);

        var chat = CliRunner.RunAsync(mentee, "Hello from the chat\n/quit\n", "chat", mentorship);
        var (exit, output) = await chat;
        Assert.Equal(0, exit);

        var (historyExit, history) = await CliRunner.RunAsync(mentor, "", "history", mentorship);
        Assert.Equal(0, historyExit);
        Assert.Contains("Hello from the chat", history, StringComparison.Ordinal);
        Assert.Contains("(connected)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_TamperedFile_ExitCodeOneWithTheProblem()
    {
        await using var server = RelayServer.Start();
        var folder = CliRunner.NewFolder();
        var (mentor, mentee, mentorship) = await MatchedAsync(server, folder);
        Assert.Equal(0, (await CliRunner.RunAsync(mentee, "", "send", mentorship, "I need advice about a conflict.")).Exit);
        Assert.Equal(0, (await CliRunner.RunAsync(mentor, "", "export", "request", mentorship, "--purpose", "supervision", "--recipient", "supervisor")).Exit);
        var (_, requestId) = await CliRunner.RunAsync(mentee, "", "-q", "export", "requests", mentorship);
        Assert.Equal(0, (await CliRunner.RunAsync(mentee, "", "export", "approve", requestId.Trim(), "--yes")).Exit);
        var record = Path.Combine(folder, "record");
        var (createExit, created) = await CliRunner.RunAsync(mentor, "", "export", "create", mentorship, "--out", record);
        Assert.True(createExit == 0, created);

        Assert.Equal(0, (await CliRunner.RunAsync(s_none, "", "verify", record + ".json")).Exit);
        var json = await File.ReadAllTextAsync(record + ".json");
        await File.WriteAllTextAsync(record + ".json", json.Replace("I need advice", "I gave advice", StringComparison.Ordinal));
        var (exit, output) = await CliRunner.RunAsync(s_none, "", "verify", record + ".json");

        Assert.Equal(1, exit);
        Assert.Contains("NOT valid", output, StringComparison.Ordinal);
        Assert.Contains("content does not match its hash", output, StringComparison.Ordinal);
    }

    private static async Task<(Dictionary<string, string?> Mentor, Dictionary<string, string?> Mentee, string Mentorship)> MatchedAsync(RelayServer server, string folder)
    {
        var coordinator = CliRunner.Person(server.Url, folder, "coordinator");
        var mentor = CliRunner.Person(server.Url, folder, "mentor");
        var mentee = CliRunner.Person(server.Url, folder, "mentee");
        Assert.Equal(0, (await CliRunner.RunAsync(coordinator, "", "join", server.CoordinatorInvite())).Exit);
        var programme = (await CliRunner.RunAsync(coordinator, "", "-q", "programme", "create", "Peer mentoring", "--text", "Be kind.", "--export-allowed")).Output.Trim();
        var mentorInvite = (await CliRunner.RunAsync(coordinator, "", "-q", "invite", programme, "mentor")).Output.Trim();
        var menteeInvite = (await CliRunner.RunAsync(coordinator, "", "-q", "invite", programme, "mentee")).Output.Trim();
        Assert.Equal(0, (await CliRunner.RunAsync(mentor, "", "join", mentorInvite, "--pseudonym", "Blue Heron")).Exit);
        Assert.Equal(0, (await CliRunner.RunAsync(mentee, "", "join", menteeInvite)).Exit);
        var mentorId = (await CliRunner.RunAsync(mentor, "", "-q", "whoami")).Output.Trim();
        var menteeId = (await CliRunner.RunAsync(mentee, "", "-q", "whoami")).Output.Trim();
        var mentorship = (await CliRunner.RunAsync(coordinator, "", "-q", "match", programme, mentorId, menteeId)).Output.Trim();
        Assert.Equal(0, (await CliRunner.RunAsync(mentor, "", "rules", "consent", mentorship)).Exit);
        Assert.Equal(0, (await CliRunner.RunAsync(mentee, "", "rules", "consent")).Exit);
        return (mentor, mentee, mentorship);
    }
}
