using SafeMentor.Protocol.Identity;
using SafeMentor.Protocol.Tests.Support;

namespace SafeMentor.Protocol.Tests.Rejections;

/// <summary>
/// Each X3DH field of a prekey message, changed, in the first message of a session (X3DH runs) and in a
/// later one (the session is known by its EK_A). Every case names the exact error and proves nothing changed.
/// </summary>
public sealed class PrekeyFieldTests
{
    private const uint UnknownId = 424242;

    [Fact]
    public void Decrypt_FirstMessageWithChangedSigningKey_ThrowsIdentityMismatch()
        => RejectFirst(wire => WireLayout.Flip(wire, WireLayout.IdentitySigningKey), ProtocolError.IdentityMismatch);

    [Fact]
    public void Decrypt_FirstMessageWithChangedDhKey_ThrowsInvalidSignature()
        => RejectFirst(wire => WireLayout.Flip(wire, WireLayout.IdentityDhKey + 5), ProtocolError.InvalidSignature);

    [Fact]
    public void Decrypt_FirstMessageWithChangedIdentitySignature_ThrowsInvalidSignature()
        => RejectFirst(wire => WireLayout.Flip(wire, WireLayout.IdentitySignature + 10), ProtocolError.InvalidSignature);

    [Fact]
    public void Decrypt_FirstMessageWithChangedEphemeralKey_ThrowsDecryptionFailed()
        => RejectFirst(wire => WireLayout.Flip(wire, WireLayout.EphemeralKey + 1), ProtocolError.DecryptionFailed);

    [Fact]
    public void Decrypt_FirstMessageWithUnknownSignedPrekeyId_ThrowsUnknownSignedPrekey()
        => RejectFirst(wire => WireLayout.WithU32(wire, WireLayout.SignedPrekeyId, UnknownId), ProtocolError.UnknownSignedPrekey);

    [Fact]
    public void Decrypt_FirstMessageWithUnknownOneTimePrekeyId_ThrowsUnknownOneTimePrekey()
        => RejectFirst(wire => WireLayout.WithU32(wire, WireLayout.OneTimePrekeyId, UnknownId), ProtocolError.UnknownOneTimePrekey);

    [Fact]
    public void Decrypt_FirstMessageWithoutItsOneTimePrekeyId_ThrowsDecryptionFailed()
        => RejectFirst(wire => WireLayout.WithU32(wire, WireLayout.OneTimePrekeyId, ProtocolConstants.NoOneTimePrekey), ProtocolError.DecryptionFailed);

    [Fact]
    public void Decrypt_FirstMessageNamingAnotherHeldOneTimePrekey_ThrowsDecryptionFailed()
    {
        using var world = TestWorld.Initiated();
        var other = world.Bob.Prekeys.GenerateOneTimePrekeys(1)[0];
        var wire = world.Alice.Send(world.Bob, Payloads.Text("x"));

        Rejection.Assert(world.Bob, world.Alice, WireLayout.WithU32(wire, WireLayout.OneTimePrekeyId, other.Id), ProtocolError.DecryptionFailed);
        Assert.Equal(Payloads.Text("x"), world.Bob.Receive(world.Alice, wire).Payload);
    }

    [Fact]
    public void Decrypt_FirstMessageClaimingAOneTimePrekeyItDidNotUse_ThrowsDecryptionFailed()
    {
        using var world = TestWorld.Initiated(withOneTimePrekey: false);
        var held = world.Bob.Prekeys.GenerateOneTimePrekeys(1)[0];
        var wire = world.Alice.Send(world.Bob, Payloads.Text("x"));

        Rejection.Assert(world.Bob, world.Alice, WireLayout.WithU32(wire, WireLayout.OneTimePrekeyId, held.Id), ProtocolError.DecryptionFailed);
        Assert.Equal(1, world.Bob.Prekeys.OneTimePrekeyCount);
    }

    [Fact]
    public void Decrypt_FirstMessageNamingAnotherHeldSignedPrekey_ThrowsDecryptionFailed()
    {
        using var world = TestWorld.Initiated();
        var rotated = world.Bob.Prekeys.RotateSignedPrekey(world.Bob.Identity, Party.NowMs + 1);
        var wire = world.Alice.Send(world.Bob, Payloads.Text("x"));
        Assert.NotEqual(rotated.Id, WireLayout.ReadU32(wire, WireLayout.SignedPrekeyId));

        Rejection.Assert(world.Bob, world.Alice, WireLayout.WithU32(wire, WireLayout.SignedPrekeyId, rotated.Id), ProtocolError.DecryptionFailed);
        Assert.Equal(Payloads.Text("x"), world.Bob.Receive(world.Alice, wire).Payload);
    }

    [Fact]
    public void Decrypt_FirstMessageWithAnotherValidIdentity_ThrowsIdentityMismatch()
    {
        using var world = TestWorld.Initiated();
        using var mallory = LocalIdentity.Create();
        var wire = world.Alice.Send(world.Bob, Payloads.Text("x"));
        var forged = WireLayout.WithBytes(wire, WireLayout.IdentitySigningKey, [.. mallory.Public.SigningKey, .. mallory.Public.DhKey, .. mallory.Public.BindingSignature]);

        Rejection.Assert(world.Bob, world.Alice, forged, ProtocolError.IdentityMismatch);
    }

    [Fact]
    public void Decrypt_LaterMessageWithChangedSigningKey_ThrowsIdentityMismatch()
        => RejectLater(true, wire => WireLayout.Flip(wire, WireLayout.IdentitySigningKey + 31), ProtocolError.IdentityMismatch);

    [Fact]
    public void Decrypt_LaterMessageWithChangedDhKey_ThrowsIdentityMismatch()
        => RejectLater(true, wire => WireLayout.Flip(wire, WireLayout.IdentityDhKey), ProtocolError.IdentityMismatch);

    [Fact]
    public void Decrypt_LaterMessageWithChangedIdentitySignature_ThrowsPrekeyFieldsMismatch()
        => RejectLater(true, wire => WireLayout.Flip(wire, WireLayout.IdentitySignature), ProtocolError.PrekeyFieldsMismatch);

    [Fact]
    public void Decrypt_LaterMessageWithChangedSignedPrekeyId_ThrowsPrekeyFieldsMismatch()
        => RejectLater(true, wire => WireLayout.WithU32(wire, WireLayout.SignedPrekeyId, UnknownId), ProtocolError.PrekeyFieldsMismatch);

    [Fact]
    public void Decrypt_LaterMessageWithChangedOneTimePrekeyId_ThrowsPrekeyFieldsMismatch()
        => RejectLater(true, wire => WireLayout.WithU32(wire, WireLayout.OneTimePrekeyId, UnknownId), ProtocolError.PrekeyFieldsMismatch);

    [Fact]
    public void Decrypt_LaterMessageWithOneTimePrekeyIdRemoved_ThrowsPrekeyFieldsMismatch()
        => RejectLater(true, wire => WireLayout.WithU32(wire, WireLayout.OneTimePrekeyId, ProtocolConstants.NoOneTimePrekey), ProtocolError.PrekeyFieldsMismatch);

    [Fact]
    public void Decrypt_LaterMessageWithChangedEphemeralKeyAfterOneTimePrekeyUsed_ThrowsUnknownOneTimePrekey()
    {
        // A changed EK_A is a new session to Bob: X3DH runs again, and the one-time prekey it names is gone.
        RejectLater(true, wire => WireLayout.Flip(wire, WireLayout.EphemeralKey + 2), ProtocolError.UnknownOneTimePrekey);
    }

    [Fact]
    public void Decrypt_LaterMessageWithChangedEphemeralKeyWithoutOneTimePrekey_ThrowsDecryptionFailed()
        => RejectLater(false, wire => WireLayout.Flip(wire, WireLayout.EphemeralKey + 2), ProtocolError.DecryptionFailed);

    private static void RejectFirst(Func<byte[], byte[]> tamper, ProtocolError expected)
    {
        using var world = TestWorld.Initiated();
        var wire = world.Alice.Send(world.Bob, Payloads.Text("first"));
        var oneTimeCount = world.Bob.Prekeys.OneTimePrekeyCount;

        Rejection.Assert(world.Bob, world.Alice, tamper(wire), expected);

        Assert.False(world.Bob.RecordFor(world.Alice).HasSession);
        Assert.Equal(oneTimeCount, world.Bob.Prekeys.OneTimePrekeyCount);
        var result = world.Bob.Receive(world.Alice, wire);
        Assert.Equal(Payloads.Text("first"), result.Payload);
        Assert.True(result.StartedSession);
    }

    private static void RejectLater(bool withOneTimePrekey, Func<byte[], byte[]> tamper, ProtocolError expected)
    {
        using var world = TestWorld.Initiated(withOneTimePrekey);
        TestWorld.Deliver(world.Alice, world.Bob, Payloads.Text("first"));
        var later = world.Alice.Send(world.Bob, Payloads.Text("later"));
        Assert.Equal(WireLayout.TypePrekey, later[1]);

        Rejection.Assert(world.Bob, world.Alice, tamper(later), expected);

        var result = world.Bob.Receive(world.Alice, later);
        Assert.Equal(Payloads.Text("later"), result.Payload);
        Assert.False(result.StartedSession);
    }
}
