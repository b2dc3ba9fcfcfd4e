using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using SafeMentor.Contracts;
using SafeMentor.Server.Audit;
using SafeMentor.Server.Storage;
using SafeMentor.Server.Tests.Infrastructure;

namespace SafeMentor.Server.Tests.Compliance;

/// <summary>
/// The authorisation matrix of every retention and compliance endpoint: who gets an answer, who is refused with
/// which code, and that each read by a compliance officer is in the audit chain.
/// </summary>
public sealed class ComplianceRoleTests
{
    public enum Caller
    {
        Anonymous,
        Mentee,
        Mentor,
        Coordinator,
        Officer,
        OtherProgrammesOfficer,
    }

    private static List<(string Method, string Route, Caller Caller, int Status)> Matrix()
    {
        var data = new List<(string, string, Caller, int)>();
        var officerOnly = new[] { Routes.DeletionReceipts, Routes.EnforcementReport, Routes.ComplianceRegister, Routes.AuditExport };
        foreach (var route in officerOnly)
        {
            data.Add(("GET", route, Caller.Anonymous, 401));
            data.Add(("GET", route, Caller.Mentee, 403));
            data.Add(("GET", route, Caller.Mentor, 403));
            data.Add(("GET", route, Caller.Coordinator, 403));
            data.Add(("GET", route, Caller.OtherProgrammesOfficer, 404));
            data.Add(("GET", route, Caller.Officer, 200));
        }

        foreach (var (method, route) in new[] { ("GET", Routes.Retention), ("GET", Routes.RetentionHistory), ("POST", Routes.RetentionPreview) })
        {
            data.Add((method, route, Caller.Anonymous, 401));
            data.Add((method, route, Caller.Mentee, 403));
            data.Add((method, route, Caller.Mentor, 403));
            data.Add((method, route, Caller.OtherProgrammesOfficer, 404));
            data.Add((method, route, Caller.Coordinator, 200));
            data.Add((method, route, Caller.Officer, 200));
        }

        data.Add(("PUT", Routes.Retention, Caller.Anonymous, 401));
        data.Add(("PUT", Routes.Retention, Caller.Mentee, 403));
        data.Add(("PUT", Routes.Retention, Caller.Officer, 403));
        data.Add(("PUT", Routes.Retention, Caller.OtherProgrammesOfficer, 404));
        data.Add(("PUT", Routes.Retention, Caller.Coordinator, 200));
        data.Add(("POST", Routes.CompliancePageLinks, Caller.Anonymous, 401));
        data.Add(("POST", Routes.CompliancePageLinks, Caller.Coordinator, 403));
        data.Add(("POST", Routes.CompliancePageLinks, Caller.Mentee, 403));
        data.Add(("POST", Routes.CompliancePageLinks, Caller.OtherProgrammesOfficer, 404));
        data.Add(("POST", Routes.CompliancePageLinks, Caller.Officer, 201));
        data.Add(("GET", Routes.AuditServerKey, Caller.Anonymous, 200));
        data.Add(("DELETE", Routes.Me, Caller.Anonymous, 401));
        return data;
    }

    [Fact]
    public async Task Endpoints_ByEachCaller_AreAnsweredOrRefusedAsTheMatrixSays()
    {
        using var server = new ServerFactory();
        await using var world = await ComplianceWorld.CreateAsync(server);
        await using var other = await ComplianceWorld.CreateAsync(server);
        var anonymous = server.CreateClient();
        var failures = new List<string>();
        foreach (var (method, route, caller, expected) in Matrix())
        {
            var http = caller switch
            {
                Caller.Anonymous => anonymous,
                Caller.Mentee => world.Scenario.Mentee.Http,
                Caller.Mentor => world.Scenario.Mentor.Http,
                Caller.Coordinator => world.Scenario.Coordinator.Http,
                Caller.Officer => world.Officer.Http,
                _ => other.Officer.Http,
            };
            var path = world.Route(route);
            var before = Reads(server);

            var response = method switch
            {
                "GET" => await http.GetAsync(path),
                "PUT" => await http.PutAsJsonAsync(path, new RetentionChangeRequest(Scenario.Rules.UndeliveredRetentionMs, Scenario.Rules.ClientHistoryRetentionMs, 3000, "Matrix")),
                "DELETE" => await http.DeleteAsync(path),
                _ when route == Routes.CompliancePageLinks => await http.PostAsJsonAsync(path, new PageLinkRequest(world.ProgrammeId)),
                _ => await http.PostAsJsonAsync(path, new RetentionPreviewRequest(Scenario.Rules.UndeliveredRetentionMs)),
            };

            var status = (int)response.StatusCode;
            if (status != expected)
            {
                failures.Add($"{method} {route} as {caller}: expected {expected}, got {status} {await response.Content.ReadAsStringAsync()}");
                continue;
            }

            if (expected >= 400 && response.Content.Headers.ContentType?.MediaType != "application/problem+json")
            {
                failures.Add($"{method} {route} as {caller}: a refusal that is not a problem document");
            }

            // Each read by a compliance officer leaves exactly one compliance.read entry; nobody else's does.
            var reads = Reads(server) - before;
            var expectedReads = caller == Caller.Officer && expected < 400 && route != Routes.AuditServerKey ? 1 : 0;
            if (reads != expectedReads)
            {
                failures.Add($"{method} {route} as {caller}: {reads} audit entries for the read, expected {expectedReads}");
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    private static int Reads(ServerFactory server)
        => server.Services.GetRequiredService<Database>().Collection<AuditEntryDocument>(Collections.AuditEntries).Count(e => e.Action == "compliance.read");
}
