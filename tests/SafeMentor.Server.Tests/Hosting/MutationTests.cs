using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using SafeMentor.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SafeMentor.Server.Tests.Hosting;

/// <summary>
/// Every request body and path parameter the OpenAPI document describes, mutated: seeded, generated, thousands of
/// cases, each sent by a caller allowed to make the request unmutated. Whatever comes in, the server never answers 5xx,
/// every error is a problem document with a code, and a refused request leaves the database exactly as it was.
/// </summary>
/// <remarks>
/// <c>SAFEMENTOR_MUTATION_CASES</c> (default 2000) sets the number of cases and <c>SAFEMENTOR_MUTATION_SEED</c> the seed
/// (default 20251202); a failure names the seed and the case, which replays it exactly.
/// </remarks>
public sealed partial class MutationTests(ITestOutputHelper output)
{
    private static readonly string[] s_nastyStrings =
    [
        "", " ", "\t", "\u0000", "\u202Egnp.exe", "\u200B", "a\u2028b", "\u001b[2J", "\ud800", "\udfff\ud800", "\uFEFF",
        "null", "5", "-1", "+1", "01", "true", "[]", "{}", "smi_", "sm_", "pg_", "ms_", "AAAA", "AAAA====", "====",
        new string('a', 101), new string('a', 257), new string('é', 20_001), "\U0001F469\u200D\u2695\uFE0F", "../../etc/passwd", "%00", "<script>",
    ];

    private static readonly JsonNode?[] s_nastyNumbers =
    [
        -1, 0, 1, 4294967295L, 4294967296L, long.MaxValue, long.MinValue, 1.5, 1e300, -0.0,
    ];

    private static readonly string[] s_nastyPathValues =
    [
        // No %00: the in-memory test server refuses to carry it, and in a real server Kestrel answers it (bare 400).
        "", " ", "+1", "01", "-1", "0", "4294967296", "1.0", "1e3", "%2e%2e", "%20", "a%2Fb", "null", "%C3%A9", "%E2%80%AE",
        "pg_" + new string('0', 32), "ms_" + new string('0', 32), "sm_" + new string('a', 32), "PG_" + new string('0', 32),
        "pg_" + new string('G', 32), "sm_" + new string('1', 32), new string('x', 300), "\u202E", "%F0%9F%98%80",
    ];

    [Fact]
    public async Task EveryBodyAndPathParameter_Mutated_NeverA5xxAlwaysAProblemAndNothingStoredOnRefusal()
    {
        var cases = int.TryParse(Environment.GetEnvironmentVariable("SAFEMENTOR_MUTATION_CASES"), CultureInfo.InvariantCulture, out var n) ? n : 2000;
        var seed = int.TryParse(Environment.GetEnvironmentVariable("SAFEMENTOR_MUTATION_SEED"), CultureInfo.InvariantCulture, out var s) ? s : 20251202;
        using var server = new ServerFactory();
        await using var world = await MutationWorld.CreateAsync(server);
        using var openApi = JsonDocument.Parse(await (await server.CreateClient().GetAsync("/openapi/v1.json")).Content.ReadAsStringAsync());
        var operations = Operations(openApi.RootElement, world);
        Assert.Contains(operations, o => o.Id == "SuspendMember");
        var random = new Random(seed);
        var failures = new List<string>();
        var statuses = new SortedDictionary<int, int>();
        var stored = world.Fingerprint();

        for (var i = 0; i < cases && failures.Count < 10; i++)
        {
            var operation = operations[i % operations.Count];
            var (path, body, description) = await operation.MutateAsync(random);
            var before = world.SamplesWrote ? world.Fingerprint() : stored;
            using var request = new HttpRequestMessage(new HttpMethod(operation.Method), path);
            if (body is not null)
            {
                request.Content = new ByteArrayContent(body);
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            }

            if (operation.Caller?.Tokens is { } tokens)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken);
            }

            using var client = server.CreateClient();
            using var response = await client.SendAsync(request);
            var status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            (var problem, stored) = await CheckAsync(response, before, world);
            await world.AnsweredAsync(operation.Id, response);
            if (problem is not null)
            {
                failures.Add($"seed {seed} case {i}: {operation.Method} {path} ({operation.Id}, {description}): {problem}");
            }
        }

        output.WriteLine($"{cases} cases over {operations.Count} operations; statuses: {string.Join(", ", statuses.Select(p => $"{p.Key} x{p.Value}"))}");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>What is wrong with the answer, if anything, and the database's fingerprint after it.</summary>
    private static async Task<(string? Problem, string Stored)> CheckAsync(HttpResponseMessage response, string before, MutationWorld world)
    {
        var status = (int)response.StatusCode;
        var after = world.Fingerprint();
        if (status >= 500)
        {
            return ($"answered {status}: {await response.Content.ReadAsStringAsync()}", after);
        }

        if (status < 400)
        {
            return (null, after);
        }

        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            return ($"answered {status} without a problem document", after);
        }

        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        if (!document.RootElement.TryGetProperty("code", out var code) || code.ValueKind != JsonValueKind.String)
        {
            return ($"answered {status} with a problem document without a code", after);
        }

        return (after == before ? null : $"answered {status} {code.GetString()} but changed what is stored", after);
    }

    /// <summary>The operations of the document with something to mutate: a body, path parameters, or both.</summary>
    private static List<Operation> Operations(JsonElement document, MutationWorld world)
    {
        var schemas = document.GetProperty("components").GetProperty("schemas");
        var operations = new List<Operation>();
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var method in path.Value.EnumerateObject())
            {
                var id = method.Value.GetProperty("operationId").GetString()!;
                var parameters = method.Value.TryGetProperty("parameters", out var p)
                    ? p.EnumerateArray().Where(x => x.GetProperty("in").GetString() == "path").Select(x => x.GetProperty("name").GetString()!).ToList()
                    : [];
                JsonElement? schema = method.Value.TryGetProperty("requestBody", out var requestBody)
                    ? Resolve(requestBody.GetProperty("content").GetProperty("application/json").GetProperty("schema"), schemas)
                    : null;
                if (parameters.Count == 0 && schema is null)
                {
                    continue;
                }

                Assert.True(world.Callers.ContainsKey(id), $"{id} has no caller in the mutation test");
                Assert.True(schema is null || world.Samples.ContainsKey(id), $"{id} has a body but no valid sample in the mutation test");
                operations.Add(new Operation(id, method.Name.ToUpperInvariant(), path.Name, parameters, schema, schemas, world));
            }
        }

        return operations;
    }

    private static JsonElement Resolve(JsonElement schema, JsonElement schemas)
        => schema.TryGetProperty("$ref", out var reference) ? schemas.GetProperty(reference.GetString()!.Split('/')[^1]) : schema;
}
