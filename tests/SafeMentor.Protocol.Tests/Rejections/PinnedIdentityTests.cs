using SafeMentor.Protocol.Identity;
using SafeMentor.Protocol.Tests.Support;

namespace SafeMentor.Protocol.Tests.Rejections;

/// <summary>
/// Once a session exists, the peer's identity keys are pinned. A new IKd under the same IKs keeps the account id,
/// carries a valid binding, and is still refused.
/// </summary>
public sealed class PinnedIdentityTests
{
    [Fact]
    public void Initiate_BundleWithSameSigningKeyButNewDhKey_ThrowsIdentityMismatch()
    {
        using var world = TestWorld.Established();
        using var rekeyedBob = Rekeyed(world.Bob);
        Assert.Equal(world.Bob.AccountId, rekeyedBob.AccountId);
        var record = world.Alice.RecordFor(world.Bob);
        var before = record.Serialize();

        var e = Assert.Throws<ProtocolException>(() => record.Initiate(world.Alice.Identity, rekeyedBob.Bundle()));

        Assert.Equal(ProtocolError.IdentityMismatch, e.Error);
        Assert.Equal(before, record.Serialize());
    }

    [Fact]
    public void Decrypt_NewSessionFromSameSigningKeyWithNewDhKey_ThrowsIdentityMismatch()
    {
        using var world = TestWorld.Established();
        using var rekeyedAlice = Rekeyed(world.Alice);
        rekeyedAlice.Initiate(world.Bob);
        var wire = rekeyedAlice.Send(world.Bob, Payloads.Text("same account, new IKd"));

        Rejection.Assert(world.Bob, world.Alice, wire, ProtocolError.IdentityMismatch);
        TestWorld.Deliver(world.Alice, world.Bob, Payloads.Text("the pinned identity still works"));
    }

    [Fact]
    public void Decrypt_FirstSessionFromRekeyedIdentity_IsAcceptedBeforeAnythingIsPinned()
    {
        // Control for the two tests above: the same re-keyed identity is fine when nothing was pinned yet.
        using var world = new TestWorld();
        using var rekeyedAlice = Rekeyed(world.Alice);
        rekeyedAlice.Initiate(world.Bob);

        var result = world.Bob.Receive(world.Alice, rekeyedAlice.Send(world.Bob, Payloads.Text("hi")));

        Assert.True(result.StartedSession);
    }

    private static Party Rekeyed(Party party)
    {
        var seed = new byte[32];
        var dh = new byte[32];
        party.Identity.ExportPrivateKeys(seed, dh);
        dh[0] ^= 0x55;
        return new Party(party.Name + "-rekeyed", LocalIdentity.Import(seed, dh));
    }
}
