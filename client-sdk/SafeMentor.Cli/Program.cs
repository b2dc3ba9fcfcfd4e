using System.CommandLine;
using SafeMentor.Cli.Audit;
using SafeMentor.Protocol.Identity;

// The terminal client grows with the SDK; for now it can mint a pseudonymous identity and print its account id,
// and verify an exported audit chain offline.
if (args is ["identity", "new"])
{
    using var identity = LocalIdentity.Create();
    Console.WriteLine(identity.AccountId);
    return 0;
}

if (args is ["audit", ..])
{
    return await new RootCommand("safementor, the SafeMentor terminal client.") { AuditVerifyCommand.Create() }.Parse(args).InvokeAsync().ConfigureAwait(false);
}

Console.Error.WriteLine("usage: safementor identity new | safementor audit verify <export.json> [--checkpoints <file>] [--server-key <base64>]");
return 2;
