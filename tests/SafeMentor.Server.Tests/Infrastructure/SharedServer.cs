namespace SafeMentor.Server.Tests.Infrastructure;

/// <summary>
/// One in-memory server for the tests of a class (<c>IClassFixture&lt;SharedServer&gt;</c>), for tests that each build
/// their own users and programmes in it and do not depend on the server's global state: starting a host costs more
/// than the test.
/// </summary>
public sealed class SharedServer : IDisposable
{
    public ServerFactory Server { get; } = new();

    public void Dispose() => Server.Dispose();
}
