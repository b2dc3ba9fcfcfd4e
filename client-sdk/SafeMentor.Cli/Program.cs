using SafeMentor.Protocol.Identity;

// The terminal client grows with the SDK; for now it can mint a pseudonymous identity and print its account id.
if (args is ["identity", "new"])
{
    using var identity = LocalIdentity.Create();
    Console.WriteLine(identity.AccountId);
    return 0;
}

Console.Error.WriteLine("usage: safementor identity new");
return 2;
