using SafeMentor.LoadGenerator.Load;

namespace SafeMentor.LoadGenerator.Tests.Load;

public class SequenceSetTests
{
    [Fact]
    public void Add_SameNumberTwice_ReportsTheSecondAsPresent()
    {
        var set = new SequenceSet();

        Assert.True(set.Add(5));
        Assert.False(set.Add(5));
        Assert.Equal(1, set.Count);
    }

    [Fact]
    public void Add_FarBeyondTheInitialSize_Grows()
    {
        var set = new SequenceSet();

        Assert.True(set.Add(1_000_000));
        Assert.True(set.Contains(1_000_000));
        Assert.False(set.Contains(999_999));
        Assert.False(set.Contains(5_000_000));
    }
}
