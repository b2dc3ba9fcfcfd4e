using System.Net.Http.Json;
using SafeMentor.Contracts;
using SafeMentor.Server.Tests.Infrastructure;

namespace SafeMentor.Server.Tests.Keys;

public sealed class PrekeyDirectoryTests
{
    [Fact]
    public async Task Bundle_ConcurrentFetches_HandEachOneTimePrekeyOutOnce()
    {
        using var server = new ServerFactory(new Dictionary<string, string?> { ["SafeMentor:Keys:BundleRequestsPerMinute"] = "1000" });
        await using var world = await Scenario.CreateAsync(server, consent: false, oneTimePrekeys: 20);

        var bundles = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => world.Mentor.FetchBundleAsync(world.Mentee.AccountId)));

        var handedOut = bundles.Where(b => b.OneTimePrekeyId is not null).Select(b => b.OneTimePrekeyId!.Value).ToList();
        Assert.Equal(20, handedOut.Count);
        Assert.Equal(20, handedOut.Distinct().Count());
        Assert.All(bundles, b => b.Validate(world.Mentee.AccountId));
        var count = await Http200.ReadAsync<PrekeyCountResponse>(await world.Mentee.Http.GetAsync(Routes.PrekeyCount));
        Assert.Equal(0, count.OneTimePrekeys);
        Assert.Equal(world.Mentee.Prekeys.CurrentSignedPrekeyId, count.SignedPrekeyId);
    }

    [Fact]
    public async Task Bundle_NotACounterpart_ReturnsNotAParty()
    {
        using var server = new ServerFactory();
        await using var world = await Scenario.CreateAsync(server, consent: false);

        var byCoordinator = await world.Coordinator.Http.GetAsync(BundleRoute(world.Mentee.AccountId));
        await Http200.AssertProblemAsync(byCoordinator, 403, ErrorCodes.NotAParty);

        await world.EndAsync(world.Mentee);
        var afterEnd = await world.Mentor.Http.GetAsync(BundleRoute(world.Mentee.AccountId));
        await Http200.AssertProblemAsync(afterEnd, 403, ErrorCodes.NotAParty);
    }

    [Fact]
    public async Task Bundle_OverRateLimit_ReturnsRateLimited()
    {
        using var server = new ServerFactory(new Dictionary<string, string?> { ["SafeMentor:Keys:BundleRequestsPerMinute"] = "2" });
        await using var world = await Scenario.CreateAsync(server, consent: false);

        await world.Mentor.FetchBundleAsync(world.Mentee.AccountId);
        await world.Mentor.FetchBundleAsync(world.Mentee.AccountId);
        var third = await world.Mentor.Http.GetAsync(BundleRoute(world.Mentee.AccountId));

        await Http200.AssertProblemAsync(third, 429, ErrorCodes.RateLimited);
        // The limit is per account: the mentee is unaffected.
        await world.Mentee.FetchBundleAsync(world.Mentor.AccountId);
    }

    [Fact]
    public async Task Bundle_NoneLeft_FallsBackToSignedPrekeyOnly()
    {
        using var server = new ServerFactory();
        await using var world = await Scenario.CreateAsync(server, consent: false, oneTimePrekeys: 1);

        Assert.NotNull((await world.Mentor.FetchBundleAsync(world.Mentee.AccountId)).OneTimePrekeyId);
        var fallback = await world.Mentor.FetchBundleAsync(world.Mentee.AccountId);

        Assert.Null(fallback.OneTimePrekeyId);
        Assert.Null(fallback.OneTimePrekey);
        fallback.Validate(world.Mentee.AccountId);
    }

    [Fact]
    public async Task Bundle_CounterpartWithoutPrekeys_ReturnsNoPrekeys()
    {
        using var server = new ServerFactory();
        await using var world = await Scenario.CreateAsync(server, consent: false);
        await using var newcomer = await TestUser.JoinAsync(server, await world.InviteAsync(Roles.Mentee), "newcomer");
        await world.EndAsync(world.Mentee);
        await world.MatchAsync(world.Mentor, newcomer);

        var response = await world.Mentor.Http.GetAsync(BundleRoute(newcomer.AccountId));

        await Http200.AssertProblemAsync(response, 404, ErrorCodes.NoPrekeys);
    }

    [Fact]
    public async Task Upload_ForgedSignedPrekey_ReturnsInvalidSignature()
    {
        using var server = new ServerFactory();
        await using var user = await TestUser.JoinAsync(server, server.CoordinatorInvite(), "someone");
        var signed = user.Prekeys.CurrentSignedPrekey(user.Identity);
        var forged = new SignedPrekeyDto(signed.Id + 1, Convert.ToBase64String(signed.PublicKey), Convert.ToBase64String(signed.Signature));

        var response = await user.Http.PutAsJsonAsync(Routes.Prekeys, new UploadPrekeysRequest(forged, []));

        await Http200.AssertProblemAsync(response, 400, ErrorCodes.InvalidSignature);
    }

    [Fact]
    public async Task Upload_BadOneTimePrekeys_ReturnsMalformedOrTooLarge()
    {
        using var server = new ServerFactory();
        await using var user = await TestUser.JoinAsync(server, server.CoordinatorInvite(), "someone");
        await user.UploadPrekeysAsync(0);
        var key = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

        async Task Expect(IReadOnlyList<OneTimePrekeyDto> keys, int status, string code)
            => await Http200.AssertProblemAsync(await user.Http.PutAsJsonAsync(Routes.Prekeys, new UploadPrekeysRequest(null, keys)), status, code);

        await Expect([new(1, key), new(1, key)], 400, ErrorCodes.Malformed);
        await Expect([new(uint.MaxValue, key)], 400, ErrorCodes.Malformed);
        await Expect([new(2, Convert.ToBase64String(new byte[31]))], 400, ErrorCodes.Malformed);
        await Expect([.. Enumerable.Range(10, 101).Select(i => new OneTimePrekeyDto((uint)i, key))], 413, ErrorCodes.TooLarge);

        await user.UploadPrekeysAsync(3, includeSigned: false);
        var held = user.Prekeys.GenerateOneTimePrekeys(1)[0].Id - 1;
        await Expect([new(held, key)], 409, ErrorCodes.Conflict);
    }

    [Fact]
    public async Task Upload_FirstWithoutSignedPrekey_ReturnsMalformed()
    {
        using var server = new ServerFactory();
        await using var user = await TestUser.JoinAsync(server, server.CoordinatorInvite(), "someone");

        var response = await user.Http.PutAsJsonAsync(Routes.Prekeys, new UploadPrekeysRequest(null, []));

        await Http200.AssertProblemAsync(response, 400, ErrorCodes.Malformed);
    }

    private static string BundleRoute(string accountId) => Routes.Bundle.Replace("{accountId}", accountId, StringComparison.Ordinal);
}
