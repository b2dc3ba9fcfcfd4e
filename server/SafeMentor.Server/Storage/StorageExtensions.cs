using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SafeMentor.Contracts;

namespace SafeMentor.Server.Storage;

internal static partial class StorageExtensions
{
    /// <summary>The data folder, the LiteDB database with its single writer, and the DataProtection key ring.</summary>
    public static WebApplicationBuilder AddStorage(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<StorageOptions>()
            .BindConfiguration(StorageOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<StorageWriterOptions>()
            .BindConfiguration(StorageWriterOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.TryAddSingleton<DatabaseMedium>(services =>
        {
            var medium = FileMedium.Open(
                services.GetRequiredService<IOptions<StorageOptions>>().Value.DataDirectory,
                CompactionPolicy.From(services.GetRequiredService<IOptions<StorageWriterOptions>>().Value));
            if (medium.Compaction is { } compacted)
            {
                LogCompacted(services.GetRequiredService<ILogger<Database>>(), compacted);
            }

            return medium;
        });
        builder.Services.AddSingleton<Database>();
        builder.Services.AddSingleton<StorageWriter>();
        builder.Services.TryAddSingleton<IStorageFailure, ExitOnStorageFailure>();

        var keyRing = Path.Combine(StorageOptions.ResolveDataDirectory(builder.Configuration), "keys");
        builder.Services.AddDataProtection()
            .SetApplicationName("SafeMentor.Server")
            .PersistKeysToFileSystem(new DirectoryInfo(keyRing));
        return builder;
    }

    /// <summary>Registers the indexes a feature needs; they are created when the database opens.</summary>
    public static IServiceCollection AddStorageSchema<TSchema>(this IServiceCollection services)
        where TSchema : class, IStorageSchema
    {
        services.AddSingleton<IStorageSchema, TSchema>();
        return services;
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

    private static void LogCompacted(ILogger logger, CompactionResult compacted)
        => LogCompacted(logger, compacted.BytesBefore / 1048576.0, compacted.BytesAfter / 1048576.0, compacted.Documents, compacted.Took.TotalSeconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Compacted the data file at start: {BeforeMiB:0.0} MiB to {AfterMiB:0.0} MiB, {Documents} documents copied in {Seconds:0.0} s")]
    private static partial void LogCompacted(ILogger logger, double beforeMiB, double afterMiB, long documents, double seconds);
}
