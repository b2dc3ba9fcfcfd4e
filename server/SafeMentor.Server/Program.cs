using SafeMentor.Server.Accounts;
using SafeMentor.Server.Audit;
using SafeMentor.Server.Compliance;
using SafeMentor.Server.Exports;
using SafeMentor.Server.Hosting;
using SafeMentor.Server.Keys;
using SafeMentor.Server.Mentorships;
using SafeMentor.Server.Messaging;
using SafeMentor.Server.Retention;
using SafeMentor.Server.Storage;

// The relay, as a table of contents: each feature folder adds its services and maps its endpoints.
var builder = WebApplication.CreateBuilder(args);
if (InviteCommand.IsInvocation(args))
{
    return InviteCommand.Run(builder.Configuration, args);
}

builder.AddHosting();       // logging, problem details, clock, OpenAPI, loopback default
builder.AddStorage();       // data folder, LiteDB, DataProtection key ring
builder.AddAccounts();      // invites, accounts, challenge sign-in, bearer tokens
builder.AddKeys();          // prekey directory
builder.AddMentorships();   // programmes, ground rules, matching, consent
builder.AddMessaging();     // relay hub, envelope queue, delivery
builder.AddExports();       // export receipts: hashes and statements, never content
builder.AddAudit();         // hash-chained audit log, signed checkpoints
builder.AddRetention();     // retention policies, sweeper, erasure
builder.AddCompliance();    // compliance officer's API and page

var app = builder.Build();
app.UseHosting();
app.UseRelayAdmission();    // hub connections per account, refused at negotiation
app.MapHealthEndpoints();
app.MapAccountsEndpoints();
app.MapKeysEndpoints();
app.MapMentorshipsEndpoints();
app.MapMessagingEndpoints();
app.MapExportsEndpoints();
app.MapRetentionEndpoints();
app.MapComplianceEndpoints();

return await app.RunGuardedAsync().ConfigureAwait(false);

/// <summary>Entry point, visible to integration tests through WebApplicationFactory.</summary>
public partial class Program;
