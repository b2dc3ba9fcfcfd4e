using LiteDB;
using SafeMentor.Server.Messaging;
using SafeMentor.Server.Storage;

namespace SafeMentor.Server.Retention;

internal static class RetentionExtensions
{
    /// <summary>Retention policies and their bounds, the sweeper, and the enforcement report.</summary>
    public static WebApplicationBuilder AddRetention(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RetentionOptions>()
            .BindConfiguration(RetentionOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddStorageSchema<RetentionSchema>();
        builder.Services.AddSingleton<RetentionBounds>();
        builder.Services.AddSingleton<RetentionLedger>();
        builder.Services.AddSingleton<EnforcementReport>();
        builder.Services.AddSingleton<AccountErasure>();
        builder.Services.AddSingleton<RetentionSweeper>();
        builder.Services.AddHostedService(services => services.GetRequiredService<RetentionSweeper>());
        return builder;
    }
}

/// <summary>Indexes retention needs: envelopes by receipt time (for expiry), policies by programme.</summary>
internal sealed class RetentionSchema : IStorageSchema
{
    public void Apply(LiteDatabase database)
    {
        database.GetCollection<EnvelopeDocument>(Collections.Envelopes).EnsureIndex(e => e.ReceivedAt);
        database.GetCollection<RetentionPolicyDocument>(Collections.RetentionPolicies).EnsureIndex(p => p.ProgrammeId);
    }
}
