using System.Text.Json;
using SafeMentor.Contracts;
using SafeMentor.Server.Tests.Infrastructure;

namespace SafeMentor.Server.Tests.Hosting;

public sealed class OpenApiTests
{
    [Fact]
    public async Task OpenApi_Document_ListsEveryRouteWithShapes()
    {
        using var server = new ServerFactory();

        var response = await server.CreateClient().GetAsync("/openapi/v1.json");

        await Http200.EnsureAsync(response);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var paths = document.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToHashSet();
        var routes = typeof(Routes).GetFields().Select(f => (string)f.GetRawConstantValue()!).Where(r => r != Routes.Hub);
        Assert.All(routes, route => Assert.Contains(route, paths));
        var schemas = document.RootElement.GetProperty("components").GetProperty("schemas").EnumerateObject().Select(s => s.Name).ToList();
        Assert.Contains("PrekeyBundleResponse", schemas);
        Assert.Contains("MentorshipDto", schemas);
    }
}
