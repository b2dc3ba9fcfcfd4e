using System.Diagnostics;
using SafeMentor.LoadGenerator.Load;

namespace SafeMentor.LoadGenerator.Tests.Load;

public class LatencyListTests
{
    [Fact]
    public void Merge_OneToAThousandMilliseconds_GivesNearestRankPercentiles()
    {
        var first = new LatencyList();
        var second = new LatencyList();
        for (var ms = 1; ms <= 1000; ms++)
        {
            (ms % 2 == 0 ? first : second).Add(ms * Stopwatch.Frequency / 1000);
        }

        var percentiles = LatencyList.Merge([first, second]);

        Assert.Equal(1000, percentiles.Count);
        Assert.Equal(500, percentiles.P50, 3);
        Assert.Equal(900, percentiles.P90, 3);
        Assert.Equal(990, percentiles.P99, 3);
        Assert.Equal(999, percentiles.P999, 3);
    }

    [Fact]
    public void Merge_Nothing_IsNotANumber()
        => Assert.True(double.IsNaN(LatencyList.Merge([new LatencyList()]).P50));
}
