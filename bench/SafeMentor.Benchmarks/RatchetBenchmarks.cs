using BenchmarkDotNet.Attributes;
using NSec.Cryptography;
using SafeMentor.Protocol.Identity;
using SafeMentor.Protocol.Prekeys;
using SafeMentor.Protocol.Sessions;

namespace SafeMentor.Benchmarks;

/// <summary>
/// The cost of one message through the Double Ratchet (encrypt on one side, decrypt on the other,
/// with the copy-and-commit that makes rejection side-effect free), against the bare AEAD seal and
/// open of the same padded size. The ratio is the protocol's overhead per message.
/// </summary>
[MemoryDiagnoser]
public class RatchetBenchmarks
{
    private readonly byte[] _payload = new byte[1000];
    private readonly byte[] _nonce = new byte[24];
    private LocalIdentity _alice = null!;
    private LocalIdentity _bob = null!;
    private LocalPrekeys _bobPrekeys = null!;
    private LocalPrekeys _alicePrekeys = null!;
    private SessionRecord _aliceRecord = null!;
    private SessionRecord _bobRecord = null!;
    private Key _aeadKey = null!;
    private byte[] _padded = null!;
    private byte[] _ciphertext = null!;

    [GlobalSetup]
    public void Setup()
    {
        _alice = LocalIdentity.Create();
        _bob = LocalIdentity.Create();
        _alicePrekeys = LocalPrekeys.Create(0);
        _bobPrekeys = LocalPrekeys.Create(0);
        var spk = _bobPrekeys.CurrentSignedPrekey(_bob);
        var opk = _bobPrekeys.GenerateOneTimePrekeys(1)[0];
        var bundle = new PrekeyBundle(_bob.AccountId, _bob.Public.SigningKey.ToArray(), _bob.Public.DhKey.ToArray(), _bob.Public.BindingSignature.ToArray(), spk.Id, spk.PublicKey, spk.Signature, opk.Id, opk.PublicKey);
        _aliceRecord = SessionRecord.ForPeer(_bob.AccountId);
        _bobRecord = SessionRecord.ForPeer(_alice.AccountId);
        _aliceRecord.Initiate(_alice, bundle);
        _bobRecord.Decrypt(_aliceRecord.Encrypt("hello"u8), _bob, _bobPrekeys);
        _aliceRecord.Decrypt(_bobRecord.Encrypt("hi"u8), _alice, _alicePrekeys);

        _aeadKey = Key.Create(AeadAlgorithm.XChaCha20Poly1305);
        _padded = new byte[1024];
        _ciphertext = new byte[_padded.Length + 16];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _aliceRecord.Dispose();
        _bobRecord.Dispose();
        _alicePrekeys.Dispose();
        _bobPrekeys.Dispose();
        _alice.Dispose();
        _bob.Dispose();
        _aeadKey.Dispose();
    }

    [Benchmark(Baseline = true, Description = "AEAD seal+open, 1 KiB")]
    public bool BareAead()
    {
        AeadAlgorithm.XChaCha20Poly1305.Encrypt(_aeadKey, _nonce, [], _padded, _ciphertext);
        return AeadAlgorithm.XChaCha20Poly1305.Decrypt(_aeadKey, _nonce, [], _ciphertext, _padded);
    }

    [Benchmark(Description = "ratchet message, same chain")]
    public int SameChainMessage()
        => _bobRecord.Decrypt(_aliceRecord.Encrypt(_payload), _bob, _bobPrekeys).Payload.Length;

    [Benchmark(Description = "ratchet message, DH ratchet turn")]
    public int RatchetTurn()
    {
        // Alternating senders makes every delivery a DH ratchet step on the receiving side.
        var toBob = _bobRecord.Decrypt(_aliceRecord.Encrypt(_payload), _bob, _bobPrekeys).Payload.Length;
        return toBob + _aliceRecord.Decrypt(_bobRecord.Encrypt(_payload), _alice, _alicePrekeys).Payload.Length;
    }
}
