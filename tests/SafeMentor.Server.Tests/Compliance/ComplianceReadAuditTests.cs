using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using SafeMentor.Contracts;
using SafeMentor.Server.Audit;
using SafeMentor.Server.Storage;
using SafeMentor.Server.Tests.Infrastructure;

namespace SafeMentor.Server.Tests.Compliance;

/// <summary>
/// Every read by a compliance officer is itself in the audit chain, exactly once; nobody else's read is. Who may call
/// which endpoint at all is in the authorisation matrix (Hosting/AuthorizationMatrixTests).
/// </summary>
public sealed class ComplianceReadAuditTests
{
    [Fact]
    public async Task Reads_ByTheOfficer_EachLeaveOneEntry_OthersLeaveNone()
    {
        using var server = new ServerFactory();
        await using var world = await ComplianceWorld.CreateAsync(server);
        var cases = new List<(string Name, HttpClient Http, Func<HttpClient, Task<HttpResponseMessage>> Call, int Reads)>();
        foreach (var route in new[] { Routes.DeletionReceipts, Routes.EnforcementReport, Routes.ComplianceRegister, Routes.AuditExport, Routes.Retention, Routes.RetentionHistory })
        {
            cases.Add(($"officer GET {route}", world.Officer.Http, http => http.GetAsync(world.Route(route)), 1));
        }

        cases.Add(("officer POST preview", world.Officer.Http, http => http.PostAsJsonAsync(world.Route(Routes.RetentionPreview), new RetentionPreviewRequest(Scenario.Rules.UndeliveredRetentionMs)), 1));
        cases.Add(("coordinator GET retention", world.Scenario.Coordinator.Http, http => http.GetAsync(world.Route(Routes.Retention)), 0));
        cases.Add(("coordinator GET history", world.Scenario.Coordinator.Http, http => http.GetAsync(world.Route(Routes.RetentionHistory)), 0));
        cases.Add(("officer GET server key", world.Officer.Http, http => http.GetAsync(Routes.AuditServerKey), 0));
        cases.Add(("mentor refused the register", world.Scenario.Mentor.Http, http => http.GetAsync(world.Route(Routes.ComplianceRegister)), 0));

        var failures = new List<string>();
        foreach (var (name, http, call, expected) in cases)
        {
            var before = Reads(server);
            using var response = await call(http);
            var reads = Reads(server) - before;
            if (reads != expected)
            {
                failures.Add($"{name} ({(int)response.StatusCode}): {reads} compliance.read entries, expected {expected}");
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    private static int Reads(ServerFactory server)
        => server.Services.GetRequiredService<Database>().Collection<AuditEntryDocument>(Collections.AuditEntries).Count(e => e.Action == "compliance.read");
}
