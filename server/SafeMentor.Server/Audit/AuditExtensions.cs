using LiteDB;
using SafeMentor.Server.Storage;

namespace SafeMentor.Server.Audit;

internal static class AuditExtensions
{
    /// <summary>The hash-chained audit log, the server's checkpoint key and the checkpoint schedule.</summary>
    public static WebApplicationBuilder AddAudit(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuditOptions>()
            .BindConfiguration(AuditOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddStorageSchema<AuditSchema>();
        builder.Services.AddSingleton<AuditTrail>();
        builder.Services.AddSingleton<AuditKey>();
        builder.Services.AddSingleton<AuditCheckpointer>();
        builder.Services.AddHostedService(services => services.GetRequiredService<AuditCheckpointer>());
        return builder;
    }
}

/// <summary>Indexes of the audit collections: bodies by programme and age, for retention.</summary>
internal sealed class AuditSchema : IStorageSchema
{
    public void Apply(LiteDatabase database)
        => database.GetCollection<AuditBodyDocument>(Collections.AuditBodies).EnsureIndex(b => b.RetentionKey);
}
