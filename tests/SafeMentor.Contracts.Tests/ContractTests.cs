using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace SafeMentor.Contracts.Tests;

public sealed partial class ContractTests
{
    private static readonly JsonSerializerOptions s_web = new(JsonSerializerDefaults.Web);

    [Fact]
    public void ErrorCodes_All_AreUniqueSnakeCase()
    {
        var codes = typeof(ErrorCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToList();

        Assert.Contains("not_a_party", codes);
        Assert.Contains("consent_required", codes);
        Assert.Contains("mentorship_ended", codes);
        Assert.Contains("too_large", codes);
        Assert.Contains("rate_limited", codes);
        Assert.Contains("malformed", codes);
        Assert.Contains("unauthorized", codes);
        Assert.Equal(codes.Count, codes.Distinct(StringComparer.Ordinal).Count());
        Assert.All(codes, code => Assert.Matches(SnakeCase(), code));
    }

    [Fact]
    public void Routes_All_AreAbsoluteAndVersionedExceptHealthAndHub()
    {
        var routes = typeof(Routes).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetRawConstantValue()!).ToList();

        Assert.All(routes, route => Assert.StartsWith("/", route, StringComparison.Ordinal));
        Assert.All(routes.Where(r => r is not Routes.Health and not Routes.Hub), route => Assert.StartsWith("/v1/", route, StringComparison.Ordinal));
    }

    [Fact]
    public void Limits_HubMessageSize_FitsALargestEnvelopeInBase64WithRoomToSpare()
    {
        var base64 = (Limits.MaxEnvelopeBytes + 2) / 3 * 4;

        Assert.Equal(65536, Limits.MaxEnvelopeBytes);
        Assert.True(Limits.MaxHubMessageBytes > base64 + 1024);
        Assert.True(Limits.MaxHubMessageBytes < 2 * Limits.MaxEnvelopeBytes);
    }

    [Fact]
    public void Roles_IsKnown_AcceptsOnlyTheFourRoles()
    {
        Assert.All(Roles.All, role => Assert.True(Roles.IsKnown(role)));
        Assert.False(Roles.IsKnown("admin"));
        Assert.False(Roles.IsKnown(null));
        Assert.Equal(4, Roles.All.Count);
    }

    [Fact]
    public void Dtos_WebJson_UseCamelCaseAndBase64Strings()
    {
        var options = s_web;
        var bundle = new PrekeyBundleResponse("sm_x", "AAAA", "BBBB", "CCCC", new SignedPrekeyDto(7, "DDDD", "EEEE"), null);

        var json = JsonSerializer.Serialize(bundle, options);

        Assert.Equal(
            """{"accountId":"sm_x","identitySigningKey":"AAAA","identityDhKey":"BBBB","identitySignature":"CCCC","signedPrekey":{"id":7,"publicKey":"DDDD","signature":"EEEE"},"oneTimePrekey":null}""",
            json);
        Assert.Equal(bundle, JsonSerializer.Deserialize<PrekeyBundleResponse>(json, options));
    }

    [Fact]
    public void EnvelopeDto_WebJson_CarriesCiphertextAsBase64()
    {
        var options = s_web;

        var json = JsonSerializer.Serialize(new EnvelopeDto("e1", "ms_1", "sm_a", [1, 2, 3], 42), options);

        Assert.Equal("""{"envelopeId":"e1","mentorshipId":"ms_1","sender":"sm_a","ciphertext":"AQID","receivedAtMs":42}""", json);
    }

    [Fact]
    public void HubMethods_Names_MatchTheInterfaces()
    {
        Assert.Equal("Send", HubMethods.Send);
        Assert.Equal("Ack", HubMethods.Ack);
        Assert.Equal("ReceiveEnvelope", HubMethods.ReceiveEnvelope);
        Assert.Equal("RelayStateChanged", HubMethods.RelayStateChanged);
        Assert.NotNull(typeof(IRelayHub).GetMethod(HubMethods.Send));
        Assert.NotNull(typeof(IRelayClient).GetMethod(HubMethods.RelayStateChanged));
    }

    [GeneratedRegex("^[a-z]+(_[a-z]+)*$")]
    private static partial Regex SnakeCase();
}
