namespace SafeMentor.Server.Keys;

/// <summary>An account's current signed prekey (public half and signature). Id is the account id.</summary>
internal sealed class SignedPrekeyDocument
{
    public string Id { get; set; } = "";
    public long KeyId { get; set; }
    public byte[] PublicKey { get; set; } = [];
    public byte[] Signature { get; set; } = [];
    public DateTime UploadedAt { get; set; }
}

/// <summary>A one-time prekey's public half, handed out at most once. Id is "accountId/keyId".</summary>
internal sealed class OneTimePrekeyDocument
{
    public string Id { get; set; } = "";
    public string AccountId { get; set; } = "";
    public long KeyId { get; set; }
    public byte[] PublicKey { get; set; } = [];
}
