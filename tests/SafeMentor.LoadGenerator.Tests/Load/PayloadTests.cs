using SafeMentor.LoadGenerator.Load;

namespace SafeMentor.LoadGenerator.Tests.Load;

public class PayloadTests
{
    [Fact]
    public void Create_ThenTryRead_ReturnsTheFieldsWritten()
    {
        var bytes = Payload.Create(1024, run: 7, stream: 42, sequence: 123_456_789_012, sentAt: -5);

        Assert.True(Payload.TryRead(bytes, out var run, out var stream, out var sequence, out var sentAt));
        Assert.Equal((7, 42, 123_456_789_012L, -5L), (run, stream, sequence, sentAt));
    }

    [Fact]
    public void Create_MinimumSize_IsShapedLikeAProtocolNormalMessage()
    {
        var bytes = Payload.Create(Payload.MinimumSize, 1, 1, 1, 1);

        Assert.Equal(314, bytes.Length);
        Assert.Equal(0x01, bytes[0]);
        Assert.Equal(0x02, bytes[1]);
    }

    [Fact]
    public void TryRead_SomethingElse_ReturnsFalse()
    {
        Assert.False(Payload.TryRead(new byte[400], out _, out _, out _, out _));
        Assert.False(Payload.TryRead([0x01, 0x02, 0x00], out _, out _, out _, out _));
    }
}
