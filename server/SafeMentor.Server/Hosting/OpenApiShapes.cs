using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Microsoft.OpenApi;
using SafeMentor.Contracts;

namespace SafeMentor.Server.Hosting;

/// <summary>
/// The OpenAPI document says what the server does: every problem carries <c>code</c> (one of <see cref="ErrorCodes"/>),
/// members limited to a list (roles, consent decisions) list their values, and path ids carry their patterns. Lengths,
/// ranges and required members come from the contracts' attributes and the strict JSON options.
/// </summary>
internal static class OpenApiShapes
{
    private static readonly Dictionary<string, string> s_pathPatterns = new(StringComparer.OrdinalIgnoreCase)
    {
        ["accountId"] = Formats.AccountIdPattern,
        ["programmeId"] = Formats.ProgrammeIdPattern,
        ["mentorshipId"] = Formats.MentorshipIdPattern,
    };

    public static IServiceCollection AddSafeMentorOpenApi(this IServiceCollection services)
        => services.AddOpenApi(options => options.AddSchemaTransformer((schema, context, _) =>
        {
            if (typeof(ProblemDetails).IsAssignableFrom(context.JsonTypeInfo.Type))
            {
                schema.Properties ??= new Dictionary<string, IOpenApiSchema>();
                schema.Properties["code"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.String,
                    Description = "The stable machine-readable error code; branch on this only.",
                    Enum = [.. AllCodes().Select(code => (JsonNode)JsonValue.Create(code))],
                };
                schema.Required ??= new HashSet<string>();
                schema.Required.Add("code");
            }

            if (context.JsonPropertyInfo?.AttributeProvider?.GetCustomAttributes(typeof(AllowedValuesAttribute), inherit: true) is [AllowedValuesAttribute allowed, ..])
            {
                schema.Enum = [.. allowed.Values.Select(value => (JsonNode)JsonValue.Create(value?.ToString())!)];
            }

            if (context.ParameterDescription?.Name is { } name && s_pathPatterns.TryGetValue(name, out var pattern))
            {
                schema.Pattern = pattern;
            }

            return Task.CompletedTask;
        }));

    private static IEnumerable<string> AllCodes()
        => typeof(ErrorCodes).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetRawConstantValue()!);
}
