namespace SafeMentor.Server.Storage;

// Stored shapes. They are separate from the wire DTOs and mapped explicitly, so a change on the wire never
// silently changes what is on disk. Only public material and metadata are stored.

/// <summary>An account: public identity keys and a pseudonym, nothing else about the person.</summary>
internal sealed class AccountDocument
{
    public string Id { get; set; } = "";
    public byte[] SigningKey { get; set; } = [];
    public byte[] DhKey { get; set; } = [];
    public byte[] BindingSignature { get; set; } = [];
    public string Pseudonym { get; set; } = "";
    public bool CanCreateProgrammes { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>One role of one account in one programme. Id is "programmeId/accountId/role".</summary>
internal sealed class MembershipDocument
{
    public string Id { get; set; } = "";
    public string ProgrammeId { get; set; } = "";
    public string AccountId { get; set; } = "";
    public string Role { get; set; } = "";
    public DateTime JoinedAt { get; set; }
}

/// <summary>An unused invite. Id is the SHA-256 of the code (hex); the code itself is never stored.</summary>
internal sealed class InviteDocument
{
    public string Id { get; set; } = "";
    public string? ProgrammeId { get; set; }
    public string Role { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public DateTime ExpiresAt { get; set; }
}

/// <summary>Server-wide facts, such as whether the first-start invite was issued.</summary>
internal sealed class MetaDocument
{
    public string Id { get; set; } = "";
    public string Value { get; set; } = "";
}
