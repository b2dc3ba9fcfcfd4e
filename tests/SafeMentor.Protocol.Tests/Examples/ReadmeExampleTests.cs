using System.Runtime.CompilerServices;
using System.Text;
using SafeMentor.Protocol.Identity;
using SafeMentor.Protocol.Prekeys;
using SafeMentor.Protocol.Sessions;
using SafeMentor.Protocol.Tests.Vectors;

namespace SafeMentor.Protocol.Tests.Examples;

/// <summary>
/// The protocol example in README.md, compiled and run. A second test keeps the README's code block and
/// the code between the markers below identical, so the README cannot drift from a working example.
/// </summary>
public sealed class ReadmeExampleTests
{
    [Fact]
    public void ReadmeExample_Run_MentorReadsMenteeMessage()
    {
        // README:begin
        // Each party makes its identity and prekeys on its own device.
        using var mentee = LocalIdentity.Create();
        using var mentor = LocalIdentity.Create();
        using var mentorPrekeys = LocalPrekeys.Create(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var spk = mentorPrekeys.CurrentSignedPrekey(mentor);
        var opk = mentorPrekeys.GenerateOneTimePrekeys(1)[0];

        // The mentee fetches the mentor's bundle from the server and starts a session; Initiate
        // checks the account id and both signatures before any key agreement.
        var bundle = new PrekeyBundle(
            mentor.AccountId, mentor.Public.SigningKey.ToArray(), mentor.Public.DhKey.ToArray(),
            mentor.Public.BindingSignature.ToArray(), spk.Id, spk.PublicKey, spk.Signature, opk.Id, opk.PublicKey);
        using var withMentor = SessionRecord.ForPeer(mentor.AccountId);
        withMentor.Initiate(mentee, bundle);
        // Save before send: Encrypt hands over the new session state and the wire message, which must be
        // stored durably before the message leaves the device (the SDK writes both to its encrypted store).
        byte[]? savedState = null;
        byte[] wire = withMentor.Encrypt("Can we talk about my first rotation?"u8, (state, _) => savedState = state.ToArray());

        // The mentor decrypts with a record for the mentee; a forged or replayed message would throw
        // ProtocolException and leave both the record and the prekeys unchanged.
        using var withMentee = SessionRecord.ForPeer(mentee.AccountId);
        var received = withMentee.Decrypt(wire, mentor, mentorPrekeys);
        var text = Encoding.UTF8.GetString(received.Payload);
        var safetyNumber = SafetyNumber.Compute(mentee.Public, mentor.Public); // compare out of band
        // README:end

        Assert.Equal("Can we talk about my first rotation?", text);
        Assert.Equal(opk.Id, received.ConsumedOneTimePrekeyId);
        Assert.Equal(0, mentorPrekeys.OneTimePrekeyCount);
        Assert.Matches("^[0-9]{5}( [0-9]{5}){11}$", safetyNumber);
        Assert.Equal(safetyNumber, SafetyNumber.Compute(mentor.Public, mentee.Public));
    }

    [Fact]
    public void ReadmeExample_CodeBlock_MatchesTheCompiledExample()
    {
        var readme = File.ReadAllText(Path.Combine(Path.GetDirectoryName(VectorFiles.PathOf("x"))!, "..", "..", "README.md"));
        var start = readme.IndexOf("```csharp\n", StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md has no csharp code block");
        start += "```csharp\n".Length;
        var block = readme[start..readme.IndexOf("```", start, StringComparison.Ordinal)];

        var source = File.ReadAllText(ThisFile());
        var from = source.IndexOf("// README:begin\n", StringComparison.Ordinal) + "// README:begin\n".Length;
        var to = source.IndexOf("        // README:end", StringComparison.Ordinal);
        var example = string.Join("\n", source[from..to].Split('\n').Select(line => line.Length >= 8 ? line[8..] : line.TrimStart()));

        var usings = "using System.Text;\n" + string.Join("\n", source.Split('\n').Where(l => l.StartsWith("using SafeMentor.Protocol.", StringComparison.Ordinal) && !l.Contains(".Tests", StringComparison.Ordinal))) + "\n\n";
        Assert.Equal(usings + example, block);
    }

    // Builds map source paths to /_/ (Directory.Build.props), so the compiler's path is made absolute again here.
    private static string ThisFile([CallerFilePath] string path = "")
        => path.StartsWith("/_/", StringComparison.Ordinal)
            ? Path.Combine(Path.GetDirectoryName(VectorFiles.PathOf("x"))!, "..", "..", path["/_/".Length..])
            : path;
}
