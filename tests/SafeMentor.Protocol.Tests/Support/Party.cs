using SafeMentor.Protocol.Identity;
using SafeMentor.Protocol.Prekeys;
using SafeMentor.Protocol.Sessions;

namespace SafeMentor.Protocol.Tests.Support;

/// <summary>
/// One participant in a test: an identity, a prekey store, and one session record per peer,
/// driven only through the library's public API.
/// </summary>
internal sealed class Party : IDisposable
{
    /// <summary>A fixed "now" for prekey bookkeeping, in ms since the Unix epoch.</summary>
    public const long NowMs = 1_750_000_000_000;

    private readonly Dictionary<string, SessionRecord> _records = new(StringComparer.Ordinal);

    public Party(string name, LocalIdentity? identity = null)
    {
        Name = name;
        Identity = identity ?? LocalIdentity.Create();
        Prekeys = LocalPrekeys.Create(NowMs);
    }

    public string Name { get; }

    public LocalIdentity Identity { get; }

    public LocalPrekeys Prekeys { get; private set; }

    public string AccountId => Identity.AccountId;

    public SessionRecord RecordFor(Party peer)
    {
        if (!_records.TryGetValue(peer.AccountId, out var record))
        {
            record = SessionRecord.ForPeer(peer.AccountId);
            _records[peer.AccountId] = record;
        }

        return record;
    }

    /// <summary>Replaces the record for <paramref name="peer"/>, e.g. with one restored from storage.</summary>
    public void ReplaceRecord(Party peer, SessionRecord record)
    {
        if (_records.Remove(peer.AccountId, out var old))
        {
            old.Dispose();
        }

        _records[peer.AccountId] = record;
    }

    /// <summary>Replaces the prekey store, e.g. with one restored from storage.</summary>
    public void ReplacePrekeys(LocalPrekeys prekeys)
    {
        Prekeys.Dispose();
        Prekeys = prekeys;
    }

    /// <summary>What the directory would hand out: the current signed prekey and, optionally, a fresh one-time prekey.</summary>
    public PrekeyBundle Bundle(bool withOneTimePrekey = true)
    {
        OneTimePrekeyPublic? oneTime = withOneTimePrekey ? Prekeys.GenerateOneTimePrekeys(1)[0] : null;
        return Bundle(oneTime);
    }

    public PrekeyBundle Bundle(OneTimePrekeyPublic? oneTime)
    {
        var signed = Prekeys.CurrentSignedPrekey(Identity);
        return new PrekeyBundle(
            AccountId,
            Identity.Public.SigningKey.ToArray(),
            Identity.Public.DhKey.ToArray(),
            Identity.Public.BindingSignature.ToArray(),
            signed.Id,
            signed.PublicKey,
            signed.Signature,
            oneTime?.Id,
            oneTime?.PublicKey);
    }

    public void Initiate(Party peer, bool withOneTimePrekey = true)
        => RecordFor(peer).Initiate(Identity, peer.Bundle(withOneTimePrekey));

    public byte[] Send(Party peer, byte[] payload) => RecordFor(peer).Encrypt(payload);

    public DecryptResult Receive(Party from, byte[] wire) => RecordFor(from).Decrypt(wire, Identity, Prekeys);

    /// <summary>The serialised record for <paramref name="peer"/> and the serialised prekey store, to compare before and after.</summary>
    public (byte[] Record, byte[] Prekeys) Snapshot(Party peer) => (RecordFor(peer).Serialize(), Prekeys.Serialize());

    public void Dispose()
    {
        foreach (var record in _records.Values)
        {
            record.Dispose();
        }

        Prekeys.Dispose();
        Identity.Dispose();
    }

    public override string ToString() => Name;
}
