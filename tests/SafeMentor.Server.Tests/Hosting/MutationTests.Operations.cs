using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SafeMentor.Server.Tests.Infrastructure;

namespace SafeMentor.Server.Tests.Hosting;

// How a case is made: a path with a mutated parameter, a mutated valid body, or a body generated from the schema.
public sealed partial class MutationTests
{
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
}
