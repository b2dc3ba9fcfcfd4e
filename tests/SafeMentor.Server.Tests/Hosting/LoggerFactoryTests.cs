using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SafeMentor.Server.Tests.Infrastructure;

namespace SafeMentor.Server.Tests.Hosting;

/// <summary>
/// Loggers are made once per category, as the framework's own factory does: SignalR and Kestrel ask for loggers on
/// every connection, and a logger per request would stay with every open connection.
/// </summary>
public sealed class LoggerFactoryTests
{
    [Fact]
    public void CreateLogger_SameCategoryTwice_TheSameLoggerWritingToSerilog()
    {
        using var server = new ServerFactory();
        var factory = server.Services.GetRequiredService<ILoggerFactory>();

        var first = factory.CreateLogger("Microsoft.AspNetCore.SignalR.HubConnectionContext");
        var second = factory.CreateLogger("Microsoft.AspNetCore.SignalR.HubConnectionContext");
        var other = factory.CreateLogger("SafeMentor.Other");

        Assert.Same(first, second);
        Assert.NotSame(first, other);
        Assert.Contains("Serilog", first.GetType().FullName, StringComparison.Ordinal);
        Assert.True(other.IsEnabled(LogLevel.Information));
        Assert.False(first.IsEnabled(LogLevel.Information), "the Microsoft categories are held at Warning");
    }
}
