using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SafeMentor.Contracts;
using SafeMentor.Protocol.Statements;
using SafeMentor.Server.Storage;
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
public sealed class MutationTests(ITestOutputHelper output)
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

    private sealed class Operation(string id, string method, string template, List<string> parameters, JsonElement? schema, JsonElement schemas, MutationWorld world)
    {
        public string Id => id;

        public string Method => method;

        public TestUser? Caller => world.Callers[id];

        /// <summary>One case: the path (a parameter mutated, or valid ones) and the body (mutated, or generated from the schema).</summary>
        public async Task<(string Path, byte[]? Body, string Description)> MutateAsync(Random random)
        {
            var mutatePath = parameters.Count > 0 && (schema is null || random.Next(4) == 0);
            var path = template;
            var description = "valid path";
            foreach (var parameter in parameters)
            {
                var value = world.PathValue(id, parameter);
                if (mutatePath && (parameters.Count == 1 || random.Next(2) == 0))
                {
                    value = MutatePathValue(value, random);
                    description = $"{parameter} = \"{value}\"";
                }

                path = path.Replace("{" + parameter + "}", value, StringComparison.Ordinal);
            }

            if (schema is not { } bodySchema)
            {
                return (path, null, description);
            }

            var sample = await world.Samples[id]();
            if (mutatePath)
            {
                return (path, Encoding.UTF8.GetBytes(sample.ToJsonString()), description);
            }

            return random.Next(10) == 0
                ? (path, Encoding.UTF8.GetBytes(Generate(bodySchema, random, 0)?.ToJsonString() ?? "null"), "generated from the schema")
                : MutateBody(path, sample, random);
        }

        private static string MutatePathValue(string value, Random random) => random.Next(4) switch
        {
            0 => value.ToUpperInvariant(),
            1 => value + Pick(["x", "0", "%01", "/", " "], random),
            2 => value[..Math.Max(0, value.Length - 1 - random.Next(3))],
            _ => Pick(s_nastyPathValues, random),
        };

        private static (string, byte[], string) MutateBody(string path, JsonNode sample, Random random)
        {
            var json = sample.ToJsonString();
            var locations = Locations(sample).ToList();
            var (parent, key, node) = locations[random.Next(locations.Count)];
            var name = key is string s ? s : $"[{key}]";
            switch (random.Next(9))
            {
                case 0 when parent is not null:
                    Remove(parent, key);
                    return (path, Encoding.UTF8.GetBytes(sample.ToJsonString()), $"{name} removed");
                case 1 when parent is not null:
                    var replacement = OtherValue(node, random);
                    Replace(parent, key, replacement);
                    return (path, Encoding.UTF8.GetBytes(sample.ToJsonString()), $"{name} = {replacement?.ToJsonString() ?? "null"}");
                case 2 when parent is JsonObject duplicated && key is string member:
                    // JSON allows text that JsonNode cannot hold: the member twice.
                    var again = $"{{\"{member}\":{duplicated[member]?.ToJsonString() ?? "null"},{duplicated.ToJsonString()[1..]}";
                    return (path, Encoding.UTF8.GetBytes(ReplaceObject(json, duplicated.ToJsonString(), again)), $"{name} twice");
                case 3 when parent is JsonObject renamed && key is string member2:
                    var value = renamed[member2]?.DeepClone();
                    renamed.Remove(member2);
                    renamed[char.ToUpperInvariant(member2[0]) + member2[1..]] = value;
                    return (path, Encoding.UTF8.GetBytes(sample.ToJsonString()), $"{name} in another case");
                case 4:
                    var bytes = Encoding.UTF8.GetBytes(json);
                    return random.Next(6) switch
                    {
                        0 => (path, bytes[..random.Next(bytes.Length)], "truncated"),
                        1 => (path, [.. bytes[..(bytes.Length / 2)], 0xff, 0xfe, .. bytes[(bytes.Length / 2)..]], "invalid UTF-8"),
                        2 => (path, [.. bytes, .. "garbage"u8], "trailing garbage"),
                        3 => (path, Encoding.UTF8.GetBytes(new string('[', 2000) + new string(']', 2000)), "nested 2000 deep"),
                        4 => (path, [0xef, 0xbb, 0xbf, .. bytes], "byte order mark"),
                        _ => (path, Encoding.UTF8.GetBytes(Pick(["", "null", "[]", "\"text\"", "42", "{}"], random)), "not an object"),
                    };
                case 5 when sample is JsonObject extended:
                    extended["unexpected" + random.Next(100).ToString(CultureInfo.InvariantCulture)] = "value";
                    return (path, Encoding.UTF8.GetBytes(sample.ToJsonString()), "unknown member");
                default:
                    if (parent is null)
                    {
                        return (path, Encoding.UTF8.GetBytes("{}"), "empty object");
                    }

                    var nasty = node switch
                    {
                        JsonValue v when v.TryGetValue<string>(out var text) => MutateString(text, random),
                        JsonValue v when v.GetValueKind() == JsonValueKind.Number => Pick(s_nastyNumbers, random)?.DeepClone(),
                        JsonArray => random.Next(2) == 0 ? new JsonArray() : new JsonArray([.. Enumerable.Range(0, 101).Select(_ => node.AsArray().FirstOrDefault()?.DeepClone())]),
                        _ => OtherValue(node, random),
                    };
                    Replace(parent, key, nasty);
                    var text2 = nasty?.ToJsonString() ?? "null";
                    return (path, Encoding.UTF8.GetBytes(sample.ToJsonString()), $"{name} = {(text2.Length > 60 ? text2[..60] + "..." : text2)}");
            }
        }

        private static JsonNode? MutateString(string text, Random random) => random.Next(5) switch
        {
            0 when text.Length > 2 => JsonValue.Create(text[..(10 % text.Length)] + Pick([" ", "\n", "=", "-", "_", "\u00e9"], random) + text[(10 % text.Length)..]),
            1 when text.Length > 2 => JsonValue.Create(text[..^2] + (text[^2] == 'A' ? 'B' : 'A') + text[^1..]),
            2 when text.Length > 0 => JsonValue.Create(text.ToUpperInvariant()),
            3 => JsonValue.Create(text + text),
            _ => JsonValue.Create(Pick(s_nastyStrings, random)),
        };

        private static JsonNode? OtherValue(JsonNode? node, Random random) => random.Next(6) switch
        {
            0 => null,
            1 => JsonValue.Create(node is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? v.ToJsonString() : "text"),
            2 => JsonValue.Create(7),
            3 => JsonValue.Create(true),
            4 => new JsonObject { ["x"] = 1 },
            _ => new JsonArray(JsonValue.Create("x")),
        };

        /// <summary>A body made up from the schema alone: the right shape more or less, random values.</summary>
        private JsonNode? Generate(JsonElement node, Random random, int depth)
        {
            node = Resolve(node, schemas);
            if (node.TryGetProperty("oneOf", out var oneOf))
            {
                return Generate(oneOf[random.Next(oneOf.GetArrayLength())], random, depth + 1);
            }

            var types = !node.TryGetProperty("type", out var type) ? ["object"]
                : type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()!).ToArray()
                : [type.GetString()!];
            switch (Pick(types, random))
            {
                case "null":
                    return null;
                case "boolean":
                    return random.Next(2) == 0;
                case "integer":
                    return random.Next(3) == 0 ? Pick(s_nastyNumbers, random)?.DeepClone() : random.Next(0, 5);
                case "string":
                    if (node.TryGetProperty("enum", out var values))
                    {
                        return random.Next(4) == 0 ? "not-allowed" : values[random.Next(values.GetArrayLength())].GetString();
                    }

                    var length = node.TryGetProperty("maxLength", out var max) ? random.Next(0, max.GetInt32() + 2) : random.Next(0, 50);
                    return random.Next(3) == 0 ? Pick(s_nastyStrings, random) : Convert.ToBase64String(RandomNumberGenerator.GetBytes(length))[..length];
                case "array":
                    return depth > 4 ? new JsonArray() : new JsonArray([.. Enumerable.Range(0, random.Next(3)).Select(_ => Generate(node.GetProperty("items"), random, depth + 1))]);
                default:
                    var result = new JsonObject();
                    if (depth <= 4 && node.TryGetProperty("properties", out var properties))
                    {
                        foreach (var property in properties.EnumerateObject().Where(_ => random.Next(8) != 0))
                        {
                            result[property.Name] = Generate(property.Value, random, depth + 1);
                        }
                    }

                    return result;
            }
        }

        private static IEnumerable<(JsonNode? Parent, object? Key, JsonNode? Node)> Locations(JsonNode? node, JsonNode? parent = null, object? key = null)
        {
            yield return (parent, key, node);
            if (node is JsonObject o)
            {
                foreach (var (name, value) in o.ToList())
                {
                    foreach (var inner in Locations(value, o, name))
                    {
                        yield return inner;
                    }
                }
            }
            else if (node is JsonArray a)
            {
                for (var i = 0; i < a.Count; i++)
                {
                    foreach (var inner in Locations(a[i], a, i))
                    {
                        yield return inner;
                    }
                }
            }
        }

        private static void Remove(JsonNode parent, object? key)
        {
            if (parent is JsonObject o)
            {
                o.Remove((string)key!);
            }
            else
            {
                parent.AsArray().RemoveAt((int)key!);
            }
        }

        private static void Replace(JsonNode parent, object? key, JsonNode? value)
        {
            if (parent is JsonObject o)
            {
                o[(string)key!] = value;
            }
            else
            {
                parent.AsArray()[(int)key!] = value;
            }
        }

        private static string ReplaceObject(string json, string objectText, string replacement)
        {
            var at = json.IndexOf(objectText, StringComparison.Ordinal);
            return at < 0 ? replacement : json[..at] + replacement + json[(at + objectText.Length)..];
        }

        private static T Pick<T>(IReadOnlyList<T> values, Random random) => values[random.Next(values.Count)];
    }

    /// <summary>
    /// A programme with a consented mentorship, and a caller and a fresh valid sample for every operation. Users whose
    /// requests may succeed in ways that would change other operations (sign-ins, refreshes, uploads) are their own.
    /// </summary>
    private sealed class MutationWorld : IAsyncDisposable
    {
        private readonly ServerFactory _server;
        private readonly Scenario _world;
        private readonly List<TestUser> _users;
        private string? _coordinatorInvite;
        private string? _programmeInvite;
        private long _lastConsent;

        private MutationWorld(ServerFactory server, Scenario world, List<TestUser> users)
        {
            _server = server;
            _world = world;
            _users = users;
        }

        /// <summary>Whether making the last sample wrote to the database (a new invite), so the stored state must be read again.</summary>
        public bool SamplesWrote { get; private set; }

        public Dictionary<string, TestUser?> Callers { get; } = [];

        public Dictionary<string, Func<Task<JsonNode>>> Samples { get; } = [];

        public Dictionary<string, string> PathValues { get; } = [];

        /// <summary>Suspending is tried on a member whose suspension affects no other operation.</summary>
        public string PathValue(string operation, string parameter)
            => parameter == "accountId" && operation is "SuspendMember" or "ReinstateMember" ? _users[4].AccountId : PathValues[parameter];

        public static async Task<MutationWorld> CreateAsync(ServerFactory server)
        {
            var world = await Scenario.CreateAsync(server);
            var signer = await TestUser.JoinAsync(server, await world.InviteAsync(Roles.Mentee), "signer");
            var uploader = await TestUser.JoinAsync(server, await world.InviteAsync(Roles.Mentee), "uploader");
            await uploader.UploadPrekeysAsync(0);
            var spareMentor = await TestUser.JoinAsync(server, await world.InviteAsync(Roles.Mentor), "spare mentor");
            var spareMentee = await TestUser.JoinAsync(server, await world.InviteAsync(Roles.Mentee), "spare mentee");
            var suspendable = await TestUser.JoinAsync(server, await world.InviteAsync(Roles.Mentee), "suspendable");
            var result = new MutationWorld(server, world, [signer, uploader, spareMentor, spareMentee, suspendable]);
            result.Define(signer, uploader, spareMentor, spareMentee);
            return result;
        }

        /// <summary>
        /// After an answer: what a success used up (a refresh token, an invite) is replaced for the next sample; what a
        /// refusal left alone is used again, so samples rarely write.
        /// </summary>
        public async Task AnsweredAsync(string operation, HttpResponseMessage response)
        {
            SamplesWrote = false;
            if (!response.IsSuccessStatusCode)
            {
                return;
            }

            switch (operation)
            {
                case "Refresh":
                    _users[0].UseTokens((await response.Content.ReadFromJsonAsync<TokenResponse>())!);
                    break;
                case "CreateAccount":
                    _coordinatorInvite = null;
                    break;
                case "RedeemInvite":
                    _programmeInvite = null;
                    break;
            }
        }

        /// <summary>A digest of everything in the database.</summary>
        public string Fingerprint()
        {
            var lite = _server.Services.GetRequiredService<Database>().Lite;
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            foreach (var name in lite.GetCollectionNames().Order(StringComparer.Ordinal))
            {
                hash.AppendData(Encoding.UTF8.GetBytes(name));
                foreach (var document in lite.GetCollection(name).FindAll().OrderBy(d => d["_id"].ToString(), StringComparer.Ordinal))
                {
                    hash.AppendData(LiteDB.BsonSerializer.Serialize(document));
                }
            }

            return Convert.ToHexString(hash.GetHashAndReset());
        }

        public async ValueTask DisposeAsync()
        {
            await _world.DisposeAsync();
            foreach (var user in _users)
            {
                await user.DisposeAsync();
            }
        }

        private void Define(TestUser signer, TestUser uploader, TestUser spareMentor, TestUser spareMentee)
        {
            var w = _world;
            PathValues["programmeId"] = w.Programme.ProgrammeId;
            PathValues["mentorshipId"] = w.MentorshipId;
            PathValues["accountId"] = w.Mentee.AccountId;
            PathValues["version"] = "1";

            Callers["CreateAccount"] = null;
            Samples["CreateAccount"] = async () =>
            {
                var newcomer = TestUser.Unregistered(_server, "newcomer");
                _users.Add(newcomer);
                SamplesWrote |= _coordinatorInvite is null;
                _coordinatorInvite ??= _server.CoordinatorInvite();
                return Node(newcomer.CreateAccountRequest(_coordinatorInvite, await newcomer.ChallengeAsync()));
            };
            Callers["SignIn"] = null;
            Samples["SignIn"] = async () =>
            {
                var nonce = await signer.ChallengeAsync();
                return Node(new SignInRequest(signer.AccountId, nonce, signer.SignNonce(nonce)));
            };
            Callers["Refresh"] = null;
            Samples["Refresh"] = () => Task.FromResult(Node(new RefreshRequest(signer.Tokens!.RefreshToken)));
            Callers["RedeemInvite"] = uploader;
            Samples["RedeemInvite"] = async () =>
            {
                SamplesWrote |= _programmeInvite is null;
                _programmeInvite ??= await w.InviteAsync(Roles.ComplianceOfficer);
                return Node(new RedeemInviteRequest(_programmeInvite));
            };
            Callers["UploadPrekeys"] = uploader;
            Samples["UploadPrekeys"] = () =>
            {
                var signed = uploader.Prekeys.CurrentSignedPrekey(uploader.Identity);
                return Task.FromResult(Node(new UploadPrekeysRequest(
                    new SignedPrekeyDto(signed.Id, Convert.ToBase64String(signed.PublicKey), Convert.ToBase64String(signed.Signature)),
                    [.. uploader.Prekeys.GenerateOneTimePrekeys(2).Select(k => new OneTimePrekeyDto(k.Id, Convert.ToBase64String(k.PublicKey)))])));
            };
            Callers["CreateProgramme"] = w.Coordinator;
            Samples["CreateProgramme"] = () => Task.FromResult(Node(new CreateProgrammeRequest("Mutated", Scenario.Rules)));
            Callers["PublishGroundRules"] = w.Coordinator;
            Samples["PublishGroundRules"] = () => Task.FromResult(Node(Scenario.Rules));
            Callers["CreateProgrammeInvite"] = w.Coordinator;
            Samples["CreateProgrammeInvite"] = () => Task.FromResult(Node(new CreateInviteRequest(Roles.Mentee)));
            Callers["MatchMentorship"] = w.Coordinator;
            Samples["MatchMentorship"] = () => Task.FromResult(Node(new MatchRequest(spareMentor.AccountId, spareMentee.AccountId)));
            Callers["SubmitConsent"] = w.Mentee;
            Samples["SubmitConsent"] = async () =>
            {
                var rules = await w.CurrentRulesAsync();
                _lastConsent = Math.Max(_lastConsent + 1, _server.Clock.GetUtcNow().ToUnixTimeMilliseconds());
                var statement = new ConsentStatement(w.MentorshipId, Convert.FromBase64String(rules.Hash), ConsentDecision.Accept, _lastConsent);
                return Node(new ConsentRequest(rules.Version, rules.Hash, ConsentDecisions.Accept, _lastConsent, Convert.ToBase64String(StatementSigner.Sign(w.Mentee.Identity, statement))));
            };

            // Operations with path parameters only; the caller is one allowed to make the request unmutated.
            foreach (var (operation, caller) in new (string, TestUser)[]
            {
                ("GetPrekeyBundle", w.Mentor), ("GetProgramme", w.Mentee), ("GetGroundRulesVersion", w.Mentee),
                ("ListProgrammeMembers", w.Coordinator), ("ListProgrammeMentorships", w.Coordinator), ("GetMentorship", w.Mentee),
                ("EndMentorship", w.Mentee), ("SuspendMember", w.Coordinator), ("ReinstateMember", w.Coordinator),
            })
            {
                Callers[operation] = caller;
            }
        }

        private static JsonNode Node<T>(T value) => JsonSerializer.SerializeToNode(value, JsonSerializerOptions.Web)!;
    }
}
