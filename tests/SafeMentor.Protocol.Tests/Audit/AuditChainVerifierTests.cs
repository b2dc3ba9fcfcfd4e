using SafeMentor.Protocol.Audit;

namespace SafeMentor.Protocol.Tests.Audit;

/// <summary>
/// Each way of tampering with an exported chain is found, at the right sequence number: an edited, deleted,
/// inserted or reordered entry, a rewritten chain, and a forged checkpoint.
/// </summary>
public sealed class AuditChainVerifierTests : IDisposable
{
    private readonly AuditSigningKey _server = AuditSigningKey.Create();

    public void Dispose() => _server.Dispose();

    [Fact]
    public void Verify_UntouchedChain_IsValidAndCoveredByItsCheckpoint()
    {
        var chain = Chain(10);

        var result = AuditChainVerifier.Verify(chain, [Checkpoint(chain, 5), Checkpoint(chain, 10)], _server.PublicKey);

        Assert.True(result.IsValid, result.Break?.Message);
        Assert.Equal(10, result.EntriesChecked);
        Assert.Equal(10, result.LastSeq);
        Assert.Equal(2, result.CheckpointsVerified);
        Assert.Equal(0, result.UncoveredEntries);
        Assert.Equal(chain[^1].Hash, result.HeadHash);
    }

    [Fact]
    public void Verify_EmptyChainWithEmptyCheckpoint_IsValid()
    {
        var result = AuditChainVerifier.Verify([], [_server.SignCheckpoint(0, AuditHashing.GenesisHash(), 1)], _server.PublicKey);

        Assert.True(result.IsValid);
        Assert.Equal(0, result.LastSeq);
    }

    [Fact]
    public void Verify_EditedBody_ReportsEditedAtItsSeq()
    {
        var chain = Chain(10);
        chain[6] = chain[6] with { Body = chain[6].Body! with { After = """{"undeliveredRetentionMs":1}""" } };

        AssertBreak(AuditChainVerifier.Verify(chain, [], _server.PublicKey), AuditBreakKind.Edited, 7);
    }

    [Fact]
    public void Verify_EditedAction_ReportsEditedAtItsSeq()
    {
        var chain = Chain(10);
        chain[2] = chain[2] with { Action = "consent.withdrawn" };

        AssertBreak(AuditChainVerifier.Verify(chain, [], _server.PublicKey), AuditBreakKind.Edited, 3);
    }

    [Fact]
    public void Verify_EntryReplacedWithItsOwnHashesRecomputed_ReportsItAsEdited()
    {
        var chain = Chain(10);
        var original = chain[3];
        chain[3] = AuditEntry.Create(original.Seq, original.TimeMs, original.Action, original.Body! with { Actor = "sm_someone_else" }, original.PrevHash);

        AssertBreak(AuditChainVerifier.Verify(chain, [], _server.PublicKey), AuditBreakKind.Edited, 4);
    }

    [Fact]
    public void Verify_DeletedEntry_ReportsDeletedAtItsSeq()
    {
        var chain = Chain(10);
        chain.RemoveAt(4);

        AssertBreak(AuditChainVerifier.Verify(chain, [], _server.PublicKey), AuditBreakKind.Deleted, 5);
    }

    [Fact]
    public void Verify_DeletedEntryAndLaterOnesRenumbered_ReportsDeletedAtItsSeq()
    {
        var chain = Chain(10);
        chain.RemoveAt(4);
        for (var i = 4; i < chain.Count; i++)
        {
            chain[i] = chain[i] with { Seq = chain[i].Seq - 1 };
        }

        AssertBreak(AuditChainVerifier.Verify(chain, [], _server.PublicKey), AuditBreakKind.Deleted, 5);
    }

    [Fact]
    public void Verify_LastEntriesDeleted_CheckpointShowsThem()
    {
        var chain = Chain(10);
        var checkpoint = Checkpoint(chain, 10);
        chain.RemoveRange(8, 2);

        AssertBreak(AuditChainVerifier.Verify(chain, [checkpoint], _server.PublicKey), AuditBreakKind.Deleted, 9);
    }

    [Fact]
    public void Verify_InsertedEntryWithRepeatedSeq_ReportsInsertedAtThatSeq()
    {
        var chain = Chain(10);
        var forged = AuditEntry.Create(6, chain[5].TimeMs, "mentorship.ended", new AuditBody("pg_1", "sm_x", "ms_x", "", ""), chain[4].Hash);
        chain.Insert(5, forged);

        AssertBreak(AuditChainVerifier.Verify(chain, [], _server.PublicKey), AuditBreakKind.Inserted, 6);
    }

    [Fact]
    public void Verify_InsertedEntryAndLaterOnesRenumbered_ReportsInsertedAtItsSeq()
    {
        var chain = Chain(10);
        var forged = AuditEntry.Create(6, chain[5].TimeMs, "mentorship.ended", new AuditBody("pg_1", "sm_x", "ms_x", "", ""), chain[4].Hash);
        chain.Insert(5, forged);
        for (var i = 6; i < chain.Count; i++)
        {
            chain[i] = chain[i] with { Seq = chain[i].Seq + 1 };
        }

        AssertBreak(AuditChainVerifier.Verify(chain, [], _server.PublicKey), AuditBreakKind.Inserted, 6);
    }

    [Fact]
    public void Verify_TwoEntriesSwapped_ReportsReorderedAtTheFirst()
    {
        var chain = Chain(10);
        (chain[2], chain[3]) = (chain[3], chain[2]);

        AssertBreak(AuditChainVerifier.Verify(chain, [], _server.PublicKey), AuditBreakKind.Reordered, 3);
    }

    [Fact]
    public void Verify_EntryMovedToTheEnd_ReportsReordered()
    {
        var chain = Chain(10);
        var moved = chain[1];
        chain.RemoveAt(1);
        chain.Add(moved);

        AssertBreak(AuditChainVerifier.Verify(chain, [], _server.PublicKey), AuditBreakKind.Reordered, 2);
    }

    [Fact]
    public void Verify_ChainRewrittenWithEveryHashRecomputed_CheckpointDisagrees()
    {
        var chain = Chain(10);
        var checkpoints = new[] { Checkpoint(chain, 4), Checkpoint(chain, 10) };
        var rewritten = chain.Take(6).ToList();
        var prev = rewritten[^1].Hash;
        for (var seq = 7; seq <= 10; seq++)
        {
            var entry = AuditEntry.Create(seq, chain[seq - 1].TimeMs, chain[seq - 1].Action, chain[seq - 1].Body! with { After = "{}" }, prev);
            rewritten.Add(entry);
            prev = entry.Hash;
        }

        var result = AuditChainVerifier.Verify(rewritten, checkpoints, _server.PublicKey);

        AssertBreak(result, AuditBreakKind.CheckpointMismatch, 10);
        Assert.Contains("after seq 4", result.Break!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_CheckpointWithAlteredHeadOrSignature_ReportsForged()
    {
        var chain = Chain(10);
        var good = Checkpoint(chain, 10);
        var signature = good.Signature.ToArray();
        signature[5] ^= 0x01;

        AssertBreak(AuditChainVerifier.Verify(chain, [good with { Signature = signature }], _server.PublicKey), AuditBreakKind.ForgedCheckpoint, 10);
        AssertBreak(AuditChainVerifier.Verify(chain, [good with { Seq = 9 }], _server.PublicKey), AuditBreakKind.ForgedCheckpoint, 9);
    }

    [Fact]
    public void Verify_CheckpointSignedByAnotherKey_ReportsForged()
    {
        var chain = Chain(10);
        using var impostor = AuditSigningKey.Create();

        AssertBreak(AuditChainVerifier.Verify(chain, [impostor.SignCheckpoint(10, chain[^1].Hash, 1)], _server.PublicKey), AuditBreakKind.ForgedCheckpoint, 10);
    }

    [Fact]
    public void Verify_WithheldBodies_StillVerifiesTheChain()
    {
        var chain = Chain(10).Select((e, i) => i % 2 == 0 ? e with { Body = null } : e).ToList();

        var result = AuditChainVerifier.Verify(chain, [Checkpoint(chain, 10)], _server.PublicKey);

        Assert.True(result.IsValid, result.Break?.Message);
        Assert.Equal(5, result.WithheldBodies);
    }

    [Fact]
    public void Verify_EntriesAfterTheLatestCheckpoint_AreCountedAsUncovered()
    {
        var chain = Chain(10);

        var result = AuditChainVerifier.Verify(chain, [Checkpoint(chain, 7)], _server.PublicKey);

        Assert.True(result.IsValid);
        Assert.Equal(3, result.UncoveredEntries);
        Assert.Equal(7, result.LatestCheckpoint!.Seq);
    }

    [Fact]
    public void Verify_WrongSizedHash_IsMalformedNotAnException()
    {
        var chain = Chain(3);
        chain[1] = chain[1] with { PrevHash = [1, 2, 3] };

        AssertBreak(AuditChainVerifier.Verify(chain, [], _server.PublicKey), AuditBreakKind.Malformed, 2);
    }

    [Fact]
    public void Verify_LongChain_ReportsProgress()
    {
        var chain = Chain(3000);
        var reports = new List<long>();

        var result = AuditChainVerifier.Verify(chain, [], _server.PublicKey, new SynchronousProgress(reports.Add));

        Assert.True(result.IsValid);
        Assert.Equal([1024, 2048, 3000], reports);
    }

    private static List<AuditEntry> Chain(int count)
    {
        var chain = new List<AuditEntry>(count);
        var prev = AuditHashing.GenesisHash();
        for (var seq = 1; seq <= count; seq++)
        {
            var entry = AuditEntry.Create(seq, 1_800_000_000_000 + (seq * 1000), seq % 2 == 0 ? "consent.accepted" : "retention.policy_changed", new AuditBody("pg_1", $"sm_{seq}", $"ms_{seq}", "", $"{{\"n\":{seq}}}"), prev);
            chain.Add(entry);
            prev = entry.Hash;
        }

        return chain;
    }

    private AuditCheckpoint Checkpoint(List<AuditEntry> chain, long seq)
        => _server.SignCheckpoint(seq, chain.Single(e => e.Seq == seq).Hash, 1_900_000_000_000 + seq);

    private static void AssertBreak(AuditVerification result, AuditBreakKind kind, long seq)
    {
        Assert.False(result.IsValid, "the tampering was not found");
        Assert.Equal((kind, seq), (result.Break!.Kind, result.Break.Seq));
    }

    private sealed class SynchronousProgress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
