using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SafeMentor.Contracts;
using SafeMentor.Server.Audit;
using SafeMentor.Server.Storage;
using SafeMentor.Server.Tests.Infrastructure;

namespace SafeMentor.Server.Tests.Compliance;

/// <summary>
/// The compliance page in a real headless browser (Debian's chromium driven by Playwright): sign in with a
/// single-use link, see the settings in force and the overdue count, verify the audit chain and see it pass, then
/// see it fail after the log is tampered with; a used link and a missing session are refused. Everything is reached
/// by role and accessible name, and by keyboard. One browser and one server for the whole walk: starting them is the
/// slow part.
/// </summary>
public sealed class CompliancePageBrowserTests
{
    [Fact]
    public async Task Page_SignInVerifyThenTamper_ShowsPassThenTheBrokenEntry()
    {
        await using var host = await BrowserHost.StartAsync();
        await using var world = await ComplianceWorld.CreateAsync(host.Server);
        await world.SweepAsync();
        var page = await host.NewPageAsync();
        var link = await host.SignInLinkAsync(world);

        var anonymous = await page.GotoAsync(host.BaseAddress + "compliance");
        Assert.Equal(401, anonymous!.Status);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Sign in with a link");

        await page.GotoAsync(link);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Compliance: Peer mentoring");
        await Assertions.Expect(page.GetByTestId("overdue-count")).ToHaveTextAsync("0");
        var settings = page.GetByRole(AriaRole.Table, new() { Name = "Retention policy version 1" });
        await Assertions.Expect(settings.GetByRole(AriaRole.Row, new() { Name = "Undelivered ciphertext kept on the server" })).ToContainTextAsync("14 days");
        await Assertions.Expect(settings.GetByRole(AriaRole.Row, new() { Name = "Undelivered ciphertext kept on the server" })).ToContainTextAsync("1 day to 30 days");
        await Assertions.Expect(page.GetByRole(AriaRole.Table, new() { Name = "Every version, oldest first" })).ToContainTextAsync("Programme created");
        await Assertions.Expect(page.GetByRole(AriaRole.Table, new() { Name = "Sweeps, newest first (this programme's counts, then the server's)" })).ToContainTextAsync("completed");
        await Assertions.Expect(page.GetByRole(AriaRole.Table, new() { Name = "Consent statements, newest first" })).ToContainTextAsync(world.Scenario.Mentee.AccountId);

        // By keyboard: focus the button and press Enter.
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify the audit chain" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Verified:");

        await TamperAsync(host.Server, seq: 2);
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify the audit chain" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Verification failed at seq 2 (edited)");

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.GotoAsync(link);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("This sign-in link cannot be used");
    }

    /// <summary>Changes an entry's body behind the chain's back, as someone with the database file could.</summary>
    private static Task TamperAsync(ServerFactory server, long seq)
        => server.Services.GetRequiredService<StorageWriter>().WriteAsync(scope =>
        {
            var bodies = scope.Collection<AuditBodyDocument>(Collections.AuditBodies);
            var body = bodies.FindById(seq);
            body.After = body.After.Replace("mentorAccountId", "mentorId", StringComparison.Ordinal);
            bodies.Update(body);
        });

    /// <summary>A server on a real loopback port, and a browser for it.</summary>
    private sealed class BrowserHost : IAsyncDisposable
    {
        private readonly IPlaywright _playwright;
        private readonly IBrowserContext _browser;
        private readonly string _profile;

        private BrowserHost(ServerFactory server, IPlaywright playwright, IBrowserContext browser, string profile)
        {
            Server = server;
            _playwright = playwright;
            _browser = browser;
            _profile = profile;
            BaseAddress = new Uri(server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");
        }

        public ServerFactory Server { get; }

        public Uri BaseAddress { get; }

        public static async Task<BrowserHost> StartAsync()
        {
            var server = new ServerFactory(new Dictionary<string, string?> { ["urls"] = "http://127.0.0.1:0" });
            server.UseKestrel();
            server.StartServer();
            var chromium = Environment.GetEnvironmentVariable("SAFEMENTOR_CHROMIUM") ?? "/usr/bin/chromium";
            Assert.True(File.Exists(chromium), $"The browser tests need Debian's chromium at {chromium} (.ci/run installs it; or set SAFEMENTOR_CHROMIUM).");
            var profile = Directory.CreateTempSubdirectory("safementor-chromium").FullName;
            var playwright = await Playwright.CreateAsync();
            var browser = await playwright.Chromium.LaunchPersistentContextAsync(profile, new BrowserTypeLaunchPersistentContextOptions
            {
                ExecutablePath = chromium,
                Headless = true,
                ChromiumSandbox = false,
                Args = ["--headless", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
            });
            return new BrowserHost(server, playwright, browser, profile);
        }

        public Task<IPage> NewPageAsync() => _browser.NewPageAsync();

        /// <summary>The officer asks the relay for a link with their key (bearer token), as the API describes.</summary>
        public async Task<string> SignInLinkAsync(ComplianceWorld world)
        {
            var link = await Http200.ReadAsync<PageLinkResponse>(await world.Officer.Http.PostAsJsonAsync(Routes.CompliancePageLinks, new PageLinkRequest(world.ProgrammeId)));
            return new Uri(BaseAddress, link.Path).ToString();
        }

        public async ValueTask DisposeAsync()
        {
            await _browser.DisposeAsync();
            _playwright.Dispose();
            Server.Dispose();
            Directory.Delete(_profile, recursive: true);
        }
    }
}
