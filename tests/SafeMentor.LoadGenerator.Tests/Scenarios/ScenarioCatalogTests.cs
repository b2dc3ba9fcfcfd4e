using SafeMentor.LoadGenerator.Scenarios;

namespace SafeMentor.LoadGenerator.Tests.Scenarios;

public class ScenarioCatalogTests
{
    [Fact]
    public void All_NamesAreUnique() => Assert.Equal(ScenarioCatalog.All.Count, ScenarioCatalog.All.Select(s => s.Name).Distinct().Count());

    [Fact]
    public void Select_NoPattern_SelectsEverything() => Assert.Equal(ScenarioCatalog.All, ScenarioCatalog.Select([]));

    [Fact]
    public void Select_PartOfAName_SelectsEveryMatch()
        => Assert.Equal(["offline-10000-json", "offline-100000-json", "offline-10000-msgpack", "offline-100000-msgpack"], ScenarioCatalog.Select(["offline"]).Select(s => s.Name));

    [Fact]
    public void Select_Wildcard_MatchesWholeNames()
        => Assert.Equal(["online-10x16-msgpack", "online-100x4-msgpack"], ScenarioCatalog.Select(["online-10*-msgpack"]).Select(s => s.Name));
}
