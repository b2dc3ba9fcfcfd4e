using Microsoft.AspNetCore.DataProtection;
using SafeMentor.Contracts;

namespace SafeMentor.Server.Storage;

internal static class StorageExtensions
{
    /// <summary>The data folder, the LiteDB database and the DataProtection key ring inside it.</summary>
    public static WebApplicationBuilder AddStorage(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<StorageOptions>()
            .BindConfiguration(StorageOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<Database>();

        var keyRing = Path.Combine(StorageOptions.ResolveDataDirectory(builder.Configuration), "keys");
        builder.Services.AddDataProtection()
            .SetApplicationName("SafeMentor.Server")
            .PersistKeysToFileSystem(new DirectoryInfo(keyRing));
        return builder;
    }

    /// <summary><c>GET /healthz</c>: 200 when the database answers, 503 otherwise.</summary>
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet(Routes.Health, (Database database) => database.IsUsable()
                ? Results.Text("ok")
                : Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Storage unavailable", extensions: new Dictionary<string, object?> { ["code"] = ErrorCodes.Unavailable }))
            .WithName("Health")
            .AllowAnonymous();
        return app;
    }
}
