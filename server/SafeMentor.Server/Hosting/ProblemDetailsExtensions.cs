namespace SafeMentor.Server.Hosting;

internal static class ProblemDetailsExtensions
{
    /// <summary>Every error answer, including the framework's own (401, 404, 429, bad JSON), is a problem document with a code.</summary>
    public static WebApplicationBuilder AddErrorHandling(this WebApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var status = context.ProblemDetails.Status ?? context.HttpContext.Response.StatusCode;
            context.ProblemDetails.Extensions.TryAdd("code", Problems.CodeForStatus(status));
            // Never echo request details (paths may carry account ids, query strings may carry tokens).
            context.ProblemDetails.Instance = null;
            context.ProblemDetails.Extensions.Remove("traceId");
        });

        // Unreadable bodies become a plain 400 (and so a "malformed" problem), in every environment.
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(options => options.ThrowOnBadRequest = false);
        return builder;
    }

    public static WebApplication UseErrorHandling(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        return app;
    }
}
