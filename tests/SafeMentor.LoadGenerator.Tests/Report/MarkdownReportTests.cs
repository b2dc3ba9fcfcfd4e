using SafeMentor.LoadGenerator.Report;

namespace SafeMentor.LoadGenerator.Tests.Report;

public class MarkdownReportTests
{
    [Fact]
    public void Cell_OneValue_IsThatValue() => Assert.Equal("1.50", MarkdownReport.Cell([1.5], "0.00"));

    [Fact]
    public void Cell_SeveralValues_IsMedianWithRange()
        => Assert.Equal("3 (1–10)", MarkdownReport.Cell([10, 1, 3, 2, 5], "0"));

    [Fact]
    public void Cell_NothingMeasured_IsADash() => Assert.Equal("–", MarkdownReport.Cell([double.NaN], "0"));
}
