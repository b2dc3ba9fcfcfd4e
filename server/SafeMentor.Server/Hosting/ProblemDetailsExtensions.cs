using SafeMentor.Contracts;

namespace SafeMentor.Server.Hosting;

internal static class ProblemDetailsExtensions
{
    /// <summary>Longest path and query string the application reads; longer ones are answered 414 with a problem document.</summary>
    public const int MaxRequestTargetLength = 4096;

    /// <summary>Every error answer, including the framework's own (401, 404, 413, 429, bad JSON), is a problem document with a code.</summary>
    public static WebApplicationBuilder AddErrorHandling(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<Refusals>();
        builder.Services.AddHostedService<RefusalSummary>();
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var status = context.ProblemDetails.Status ?? context.HttpContext.Response.StatusCode;
            context.ProblemDetails.Extensions.TryAdd("code", Problems.CodeForStatus(status));
            // Never echo request details (paths may carry account ids, query strings may carry tokens).
            context.ProblemDetails.Instance = null;
            context.ProblemDetails.Extensions.Remove("traceId");
            context.HttpContext.RequestServices.GetRequiredService<Refusals>().Count("http", context.ProblemDetails.Extensions["code"] as string ?? ErrorCodes.Unavailable);
        });

        // Unreadable bodies become a plain 400 (and so a "malformed" problem), in every environment.
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(options => options.ThrowOnBadRequest = false);
        return builder;
    }

    /// <summary>
    /// Exceptions and bare status codes become problem documents. Kestrel answers some malformed requests itself, before
    /// any of this runs (a request line over its 8 KiB limit, a NUL in the path, bad headers): those answers have no body.
    /// Request targets between <see cref="MaxRequestTargetLength"/> and Kestrel's limit get a 414 problem here.
    /// </summary>
    public static WebApplication UseErrorHandling(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.Use((context, next) =>
            context.Request.Path.Value?.Length + context.Request.QueryString.Value?.Length > MaxRequestTargetLength
                ? Problems.Of(ErrorCodes.TooLarge, $"The request target is longer than {MaxRequestTargetLength} characters.", StatusCodes.Status414UriTooLong).ExecuteAsync(context)
                : next(context));
        return app;
    }
}
