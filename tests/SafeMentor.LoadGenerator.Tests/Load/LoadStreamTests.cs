using SafeMentor.LoadGenerator.Load;

namespace SafeMentor.LoadGenerator.Tests.Load;

public class LoadStreamTests
{
    // Receipts only: the sender's connection is not used.
    private static LoadStream Stream() => new RunRecorder().AddStream(null!, "sm_recipient", "ms_mentorship");

    [Fact]
    public void OnReceived_InOrder_CountsNothingWrong()
    {
        var stream = Stream();

        stream.OnReceived(0, 0, 1);
        stream.OnReceived(1, 0, 1);
        stream.OnReceived(2, 0, 1);

        Assert.Equal((3, 0L, 0L), (stream.ReceivedCount, stream.Duplicates, stream.OutOfOrder));
    }

    [Fact]
    public void OnReceived_SameSequenceTwice_CountsADuplicate()
    {
        var stream = Stream();

        stream.OnReceived(0, 0, 1);
        stream.OnReceived(0, 0, 1);

        Assert.Equal((1, 1L), (stream.ReceivedCount, stream.Duplicates));
    }

    [Fact]
    public void OnReceived_EarlierAfterLater_CountsOutOfOrder()
    {
        var stream = Stream();

        stream.OnReceived(0, 0, 1);
        stream.OnReceived(2, 0, 1);
        stream.OnReceived(1, 0, 1);
        stream.OnReceived(3, 0, 1);

        Assert.Equal((4, 1L), (stream.ReceivedCount, stream.OutOfOrder));
    }

    [Fact]
    public void OnEnvelope_FromAnotherRun_IsStaleAndNotCounted()
    {
        var earlier = new RunRecorder();
        var run = new RunRecorder();
        var stream = run.AddStream(null!, "sm_recipient", "ms_mentorship");

        run.OnEnvelope(new Contracts.EnvelopeDto("id", "ms_mentorship", "sm_sender", Payload.Create(400, earlier.Id, 0, 0, 0), 0));

        Assert.Equal((1L, 0), (run.Stale, stream.ReceivedCount));
    }
}
