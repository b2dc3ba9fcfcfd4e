using SafeMentor.Server.Hosting;
using SafeMentor.Server.Storage;

namespace SafeMentor.Server.Mentorships;

internal static class MentorshipsExtensions
{
    /// <summary>Programmes, ground rules, matching and consent.</summary>
    public static WebApplicationBuilder AddMentorships(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ProgrammeOptions>()
            .BindConfiguration(ProgrammeOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<ProgrammeStore>();
        builder.Services.AddSingleton<MentorshipStore>();
        builder.Services.AddSingleton<MentorshipRegistry>();
        builder.Services.AddSingleton<MentorshipService>();
        builder.Services.AddSingleton<MemberSuspension>();
        builder.Services.AddStorageSchema<MentorshipSchema>();
        builder.Services.AddSingleton<ProgrammeAccess>();
        builder.Services.AddSingleton<GroundRulesValidation>();
        builder.Services.AddRouteParameterRule("programmeId", id => Ids.IsWellFormed(id, ProgrammeStore.IdPrefix));
        builder.Services.AddRouteParameterRule("mentorshipId", id => Ids.IsWellFormed(id, MentorshipStore.IdPrefix));
        builder.Services.AddRouteParameterRule("version", RouteParameters.IsCanonicalUInt32);
        return builder;
    }

    public static IEndpointRouteBuilder MapMentorshipsEndpoints(this IEndpointRouteBuilder app)
        => app.MapProgrammeEndpoints().MapMentorshipEndpoints();
}
