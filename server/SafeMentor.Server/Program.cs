using SafeMentor.Server.Accounts;
using SafeMentor.Server.Hosting;
using SafeMentor.Server.Storage;

// The relay, as a table of contents: each feature folder adds its services and maps its endpoints.
var builder = WebApplication.CreateBuilder(args);
if (InviteCommand.IsInvocation(args))
{
    return InviteCommand.Run(builder.Configuration, args);
}

builder.AddHosting();
builder.AddStorage();
builder.AddAccounts();

var app = builder.Build();
app.UseHosting();
app.MapHealthEndpoints();
app.MapAccountsEndpoints();

return await app.RunGuardedAsync().ConfigureAwait(false);

/// <summary>Entry point, visible to integration tests through WebApplicationFactory.</summary>
public partial class Program;
