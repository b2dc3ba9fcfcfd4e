using System.Text.Json;
using System.Text.Json.Serialization;

namespace SafeMentor.Server.Hosting;

/// <summary>
/// Request bodies are read strictly, by System.Text.Json itself: numbers only as JSON numbers (never <c>"5"</c>),
/// every member a record's constructor names present, no <c>null</c> where the contract says non-nullable, no member
/// twice, member names exactly as documented (camelCase). Anything else fails binding and is answered
/// <c>malformed</c>. The framework's validation then applies the limits declared on the contracts
/// (lengths, ranges, allowed values). Members the contract does not know are ignored.
/// </summary>
internal static class StrictJson
{
    public static IServiceCollection AddStrictJson(this IServiceCollection services)
    {
        services.ConfigureHttpJsonOptions(options => Apply(options.SerializerOptions));
        services.AddValidation();
        return services;
    }

    public static void Apply(JsonSerializerOptions options)
    {
        options.NumberHandling = JsonNumberHandling.Strict;
        options.RespectRequiredConstructorParameters = true;
        options.RespectNullableAnnotations = true;
        options.AllowDuplicateProperties = false;
        options.PropertyNameCaseInsensitive = false;
    }
}
