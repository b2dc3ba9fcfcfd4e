namespace SafeMentor.LoadGenerator.Tests;

/// <summary>
/// The load generator end to end, briefly: the relay (this project's build of it) and the bare hub as child
/// processes, one pair, one second. Proves the tool works, not anything about the relay's speed.
/// </summary>
public class SmokeTests
{
    [Fact]
    public async Task RunAsync_OnePairForOneSecond_ReportsBothServersAndLosesNothing()
    {
        var report = Path.Combine(Path.GetTempPath(), $"safementor-load-{Guid.NewGuid():N}.md");
        var options = new LoadOptions
        {
            ServerDll = Path.Combine(AppContext.BaseDirectory, "SafeMentor.Server.dll"),
            Scenarios = ["online-1x1-json"],
            Duration = TimeSpan.FromSeconds(1),
            Warmup = TimeSpan.FromSeconds(0.2),
            Quick = true,
            OutputFile = report,
        };
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));

            var exitCode = await Bench.RunAsync(options, "smoke", timeout.Token);

            var text = await File.ReadAllTextAsync(report);
            Assert.True(exitCode == 0, text);
            Assert.Contains("## online-1x1-json", text, StringComparison.Ordinal);
            Assert.Matches(@"\| delivered msg/s \| [\d,]+ \| [\d,]+ \| [\d.]+ \|", text);
            Assert.Contains("| relay: no envelope lost, duplicated or out of order | 0 in every scenario | yes |", text, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(report);
        }
    }

    [Fact]
    public void Scale_Quick_DividesCountsByTen() => Assert.Equal(10_000, new LoadOptions { ServerDll = "x", Quick = true }.Scale(100_000));
}
