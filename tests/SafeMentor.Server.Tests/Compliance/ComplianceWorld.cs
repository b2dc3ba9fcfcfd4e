using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using SafeMentor.Contracts;
using SafeMentor.Server.Retention;
using SafeMentor.Server.Tests.Infrastructure;

namespace SafeMentor.Server.Tests.Compliance;

/// <summary>A <see cref="Scenario"/> with a compliance officer of the same programme, and helpers for retention and compliance calls.</summary>
internal sealed class ComplianceWorld : IAsyncDisposable
{
    private ComplianceWorld(ServerFactory server, Scenario scenario, TestUser officer)
    {
        Server = server;
        Scenario = scenario;
        Officer = officer;
    }

    public ServerFactory Server { get; }

    public Scenario Scenario { get; }

    public TestUser Officer { get; }

    public string ProgrammeId => Scenario.Programme.ProgrammeId;

    public static async Task<ComplianceWorld> CreateAsync(ServerFactory server, bool consent = true)
    {
        var scenario = await Scenario.CreateAsync(server, consent);
        var officer = await TestUser.JoinAsync(server, await scenario.InviteAsync(Roles.ComplianceOfficer), "officer");
        return new ComplianceWorld(server, scenario, officer);
    }

    public string Route(string template) => template.Replace("{programmeId}", ProgrammeId, StringComparison.Ordinal);

    public async Task<T> GetAsync<T>(TestUser user, string template) => await Http200.ReadAsync<T>(await user.Http.GetAsync(Route(template)));

    public async Task<AuditExportDto> ExportAsync() => await GetAsync<AuditExportDto>(Officer, Routes.AuditExport);

    public async Task<RetentionResponse> ChangeAsync(long undeliveredMs, long clientMs, int auditDays, string reason = "Shorter retention agreed by the board")
        => await Http200.ReadAsync<RetentionResponse>(await Scenario.Coordinator.Http.PutAsJsonAsync(Route(Routes.Retention), new RetentionChangeRequest(undeliveredMs, clientMs, auditDays, reason)));

    public async Task<RetentionPreviewResponse> PreviewAsync(long undeliveredMs)
        => await Http200.ReadAsync<RetentionPreviewResponse>(await Scenario.Coordinator.Http.PostAsJsonAsync(Route(Routes.RetentionPreview), new RetentionPreviewRequest(undeliveredMs)));

    /// <summary>Moves the clock and signs everyone in again: access tokens follow the same clock and expire.</summary>
    public async Task AdvanceAsync(TimeSpan by)
    {
        Server.Clock.Advance(by);
        foreach (var user in new[] { Scenario.Coordinator, Scenario.Mentor, Scenario.Mentee, Officer })
        {
            await user.SignInAsync();
        }
    }

    /// <summary>Sends one envelope from the mentor to the mentee over a fresh hub connection.</summary>
    public async Task<SendResult> MentorSendsAsync(byte[] ciphertext)
    {
        var hub = await Scenario.Mentor.ConnectAsync();
        try
        {
            return await Scenario.SendAsync(hub, Scenario.Mentee, ciphertext);
        }
        finally
        {
            await hub.StopAsync();
        }
    }

    public Task<Server.Retention.SweepReceiptDocument> SweepAsync() => Server.Services.GetRequiredService<RetentionSweeper>().RunAsync("test");

    public async ValueTask DisposeAsync()
    {
        await Scenario.DisposeAsync();
        await Officer.DisposeAsync();
    }

    public static long Days(double days) => (long)TimeSpan.FromDays(days).TotalMilliseconds;
}
