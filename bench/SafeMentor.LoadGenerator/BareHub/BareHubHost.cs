using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SafeMentor.Contracts;

namespace SafeMentor.LoadGenerator.BareHub;

/// <summary>
/// Hosts <see cref="BareRelayHub"/> on Kestrel, in a process of its own (this program in <c>bare-hub</c> mode),
/// with the relay's hub settings: the same protocols, the same largest message and the same number of parallel
/// invocations per connection. It stops on SIGTERM.
/// </summary>
internal static class BareHubHost
{
    public const string ReadyLine = "bare hub listening on ";

    public static async Task<int> RunAsync(string url, int parallelInvocations, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.UseUrls(url);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<IUserIdProvider, QueryStringUserIdProvider>();
        builder.Services.AddSignalR(options =>
            {
                options.MaximumReceiveMessageSize = Limits.MaxHubMessageBytes;
                options.MaximumParallelInvocationsPerClient = parallelInvocations;
                options.EnableDetailedErrors = false;
            })
            .AddMessagePackProtocol();

        await using var app = builder.Build();
        app.MapHub<BareRelayHub>(Routes.Hub);
        await app.StartAsync(cancellationToken);
        await Console.Out.WriteLineAsync(ReadyLine + url);
        await Console.Out.FlushAsync(cancellationToken);

        // SIGTERM (or Ctrl+C) stops the host; the load generator's wrapper kills this process if the generator dies.
        await app.WaitForShutdownAsync(cancellationToken);
        return 0;
    }
}
