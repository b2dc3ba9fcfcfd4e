namespace SafeMentor.Protocol.Prekeys;

/// <summary>The public part of a signed prekey, as uploaded to the directory.</summary>
/// <param name="Id">spkId.</param>
/// <param name="PublicKey">SPK_pub, 32 bytes.</param>
/// <param name="Signature">sigSpk, 64 bytes.</param>
public sealed record SignedPrekeyPublic(uint Id, byte[] PublicKey, byte[] Signature);

/// <summary>The public part of a one-time prekey, as uploaded to the directory.</summary>
/// <param name="Id">opkId; never 0xFFFFFFFF.</param>
/// <param name="PublicKey">OPK_pub, 32 bytes.</param>
public sealed record OneTimePrekeyPublic(uint Id, byte[] PublicKey);
