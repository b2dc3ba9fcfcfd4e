using SafeMentor.Contracts;

namespace SafeMentor.Server.Hosting;

/// <summary>A rule for a path parameter, by name: every route with a parameter of that name is checked by it.</summary>
internal sealed record RouteParameterRule(string Name, Func<string, bool> IsValid);

/// <summary>
/// Path parameters are checked, by name, after routing and authorisation and before the endpoint runs: an id of the
/// wrong shape or a number spelled other than canonically (<c>+1</c>, <c>01</c>) is <c>malformed</c>, not "not found",
/// and never reaches a handler. Each feature registers the rules for the parameters it owns.
/// </summary>
internal static class RouteParameters
{
    public static IServiceCollection AddRouteParameterRule(this IServiceCollection services, string name, Func<string, bool> isValid)
        => services.AddSingleton(new RouteParameterRule(name, isValid));

    public static WebApplication UseRouteParameterRules(this WebApplication app)
    {
        var rules = app.Services.GetServices<RouteParameterRule>().ToDictionary(r => r.Name, r => r.IsValid, StringComparer.OrdinalIgnoreCase);
        app.Use((context, next) =>
        {
            if (context.GetEndpoint() is RouteEndpoint endpoint)
            {
                foreach (var parameter in endpoint.RoutePattern.Parameters)
                {
                    if (rules.TryGetValue(parameter.Name, out var isValid)
                        && context.Request.RouteValues.TryGetValue(parameter.Name, out var value)
                        && (value is not string text || !isValid(text)))
                    {
                        return Problems.Of(ErrorCodes.Malformed, $"The path parameter '{parameter.Name}' is not well formed.").ExecuteAsync(context);
                    }
                }
            }

            return next(context);
        });
        return app;
    }

    /// <summary>A decimal unsigned 32-bit number as JSON writes it: digits only, no sign, no leading zero.</summary>
    public static bool IsCanonicalUInt32(string value)
        => value.Length is > 0 and <= 10
            && value.AsSpan().IndexOfAnyExceptInRange('0', '9') < 0
            && (value.Length == 1 || value[0] != '0')
            && ulong.Parse(value, System.Globalization.CultureInfo.InvariantCulture) <= uint.MaxValue;
}
