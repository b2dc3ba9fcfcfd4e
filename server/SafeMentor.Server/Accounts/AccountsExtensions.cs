using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using SafeMentor.Contracts;
using SafeMentor.Protocol.Identity;
using SafeMentor.Server.Hosting;
using SafeMentor.Server.Storage;

namespace SafeMentor.Server.Accounts;

internal static class AccountsExtensions
{
    /// <summary>Accounts, invites, challenges, and bearer-token authentication (also for the hub).</summary>
    public static WebApplicationBuilder AddAccounts(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuthOptions>()
            .BindConfiguration(AuthOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<Challenges>();
        builder.Services.AddSingleton<SignInVerifier>();
        builder.Services.AddSingleton<AccountSecurity>();
        builder.Services.AddHostedService<AccountSecurityLoader>();
        builder.Services.AddSingleton<SignIns>();
        builder.Services.AddStorageSchema<SecuritySchema>();
        builder.Services.AddSingleton<InviteService>();
        builder.Services.AddSingleton<AccountStore>();
        builder.Services.AddStorageSchema<AccountSchema>();
        builder.Services.AddHostedService<FirstStartInvite>();
        builder.Services.AddRouteParameterRule("accountId", AccountId.IsWellFormed);

        builder.Services.AddAuthentication(BearerTokenDefaults.AuthenticationScheme)
            .AddBearerToken(options => options.Events = new BearerTokenEvents
            {
                // WebSockets and server-sent events cannot carry headers: the hub takes the token from the query.
                OnMessageReceived = context =>
                {
                    var token = context.Request.Query["access_token"].ToString();
                    if (token.Length > 0 && context.Request.Path.StartsWithSegments(Routes.Hub))
                    {
                        context.Token = token;
                    }

                    return Task.CompletedTask;
                },
            });
        builder.Services.AddOptions<BearerTokenOptions>(BearerTokenDefaults.AuthenticationScheme)
            .Configure<IOptions<AuthOptions>>((bearer, auth) =>
            {
                bearer.BearerTokenExpiration = TimeSpan.FromMinutes(auth.Value.AccessTokenMinutes);
                bearer.RefreshTokenExpiration = TimeSpan.FromDays(auth.Value.RefreshTokenDays);
            })
            // After the framework has made its protector: every access token is also checked for revocation.
            .PostConfigure<AccountSecurity>((bearer, security) => bearer.BearerTokenProtector = new RevocableTicketFormat(bearer.BearerTokenProtector, security));

        // Everything needs a signed-in caller unless an endpoint says otherwise.
        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        return builder;
    }

    public static IEndpointRouteBuilder MapAccountsEndpoints(this IEndpointRouteBuilder app)
        => app.MapAuthEndpoints().MapAccountEndpoints().MapAccountErasureEndpoints();
}
