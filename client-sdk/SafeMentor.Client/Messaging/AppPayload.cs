using System.Text.Json;
using System.Text.Json.Serialization;

namespace SafeMentor.Client.Messaging;

/// <summary>
/// The application payload inside the ratchet, version 1 (docs/protocol.md, Application payloads): one UTF-8 JSON
/// object with <c>v</c>, <c>type</c>, <c>id</c> and <c>sentAtMs</c>, and the members of its type. Receivers ignore
/// members they do not know and keep (but do not act on) types they do not know.
/// </summary>
internal sealed class AppPayload
{
    public const int CurrentVersion = 1;
    public const string Text = "text";
    public const string ExportRequest = "export-request";
    public const string ExportConsent = "export-consent";
    public const string ExportDecline = "export-decline";

    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    [JsonPropertyName("v")]
    public int Version { get; set; } = CurrentVersion;

    public string Type { get; set; } = "";

    public string Id { get; set; } = "";

    public long SentAtMs { get; set; }

    [JsonPropertyName("text")]
    public string? Body { get; set; }

    public ExportRequestBody? Request { get; set; }

    public string? RequestId { get; set; }

    public ExportConsentBody? Consent { get; set; }

    public GroundRulesConsentBody? GroundRulesConsent { get; set; }

    public byte[] ToUtf8() => JsonSerializer.SerializeToUtf8Bytes(this, s_json);

    /// <summary>Null when the bytes are not a version 1 payload object with a type, an id and a time.</summary>
    public static AppPayload? Parse(ReadOnlySpan<byte> utf8)
    {
        try
        {
            var payload = JsonSerializer.Deserialize<AppPayload>(utf8, s_json);
            return payload is { Version: CurrentVersion, Type.Length: > 0, Id.Length: > 0 } && payload.SentAtMs >= 0 ? payload : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>What the exporter asks the counterpart to consent to.</summary>
internal sealed record ExportRequestBody(long FromMs, long ToMs, string Purpose, string Recipient, long ExpiresMs);

/// <summary>The counterpart's signed export consent (protocol §Signed statements); the signature is base64.</summary>
internal sealed record ExportConsentBody(long FromMs, long ToMs, string Purpose, string Recipient, long ExpiresMs, long TimestampMs, string Signature);

/// <summary>The counterpart's own consent to the ground rules, so the exporter can put both consents in the record.</summary>
internal sealed record GroundRulesConsentBody(string GroundRulesHash, long TimestampMs, string Signature);
