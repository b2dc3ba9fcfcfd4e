using System.Collections.Concurrent;
using SafeMentor.Contracts;

namespace SafeMentor.Client.Tests.Infrastructure;

/// <summary>
/// A programme with a coordinator, a mentor and a mentee, each an SDK client with its own store, matched; by default
/// both have consented and are connected.
/// </summary>
public sealed class Mentorship : IAsyncDisposable
{
    private Mentorship(RelayServer server, SafeMentorClient coordinator, SafeMentorClient mentor, SafeMentorClient mentee, string programmeId, string mentorshipId)
    {
        Server = server;
        Coordinator = coordinator;
        Mentor = mentor;
        Mentee = mentee;
        ProgrammeId = programmeId;
        MentorshipId = mentorshipId;
        Watch(mentor, MentorInbox);
        Watch(mentee, MenteeInbox);
    }

    public RelayServer Server { get; }

    public SafeMentorClient Coordinator { get; }

    public SafeMentorClient Mentor { get; private set; }

    public SafeMentorClient Mentee { get; private set; }

    public string ProgrammeId { get; }

    public string MentorshipId { get; }

    public BlockingCollection<ChatMessage> MentorInbox { get; } = [];

    public BlockingCollection<ChatMessage> MenteeInbox { get; } = [];

    public static async Task<Mentorship> CreateAsync(RelayServer server, GroundRulesInput? rules = null, bool consent = true, bool connect = true, TimeProvider? menteeTime = null, string? menteeStore = null)
    {
        var coordinator = await TestClients.OpenAsync(server);
        await coordinator.JoinAsync(server.CoordinatorInvite(), "Coordinator");
        var programme = await coordinator.CreateProgrammeAsync("Peer mentoring", rules ?? TestClients.Rules);
        var mentor = await TestClients.OpenAsync(server);
        await mentor.JoinAsync((await coordinator.CreateInviteAsync(programme.ProgrammeId, Roles.Mentor)).Code, "Blue Heron");
        var mentee = await TestClients.OpenAsync(server, menteeStore, menteeTime);
        await mentee.JoinAsync((await coordinator.CreateInviteAsync(programme.ProgrammeId, Roles.Mentee)).Code, "Quiet Fox");
        var match = await coordinator.MatchAsync(programme.ProgrammeId, mentor.AccountId!, mentee.AccountId!);
        var world = new Mentorship(server, coordinator, mentor, mentee, programme.ProgrammeId, match.MentorshipId);
        await mentor.GetMentorshipsAsync();
        await mentee.GetMentorshipsAsync();
        if (consent)
        {
            await mentor.ConsentAsync(match.MentorshipId);
            await mentee.ConsentAsync(match.MentorshipId);
        }

        if (connect)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await mentor.StartAsync(timeout.Token);
            await mentee.StartAsync(timeout.Token);
        }

        return world;
    }

    /// <summary>Replaces the mentee client (for example, reopened on the same store after a stop).</summary>
    public void ReplaceMentee(SafeMentorClient mentee)
    {
        Mentee = mentee;
        Watch(mentee, MenteeInbox);
    }

    public void ReplaceMentor(SafeMentorClient mentor)
    {
        Mentor = mentor;
        Watch(mentor, MentorInbox);
    }

    public static ChatMessage Next(BlockingCollection<ChatMessage> inbox, int seconds = 20)
        => inbox.TryTake(out var message, TimeSpan.FromSeconds(seconds)) ? message : throw new TimeoutException("No message arrived.");

    public async ValueTask DisposeAsync()
    {
        await Coordinator.DisposeAsync();
        await Mentor.DisposeAsync();
        await Mentee.DisposeAsync();
    }

    private static void Watch(SafeMentorClient client, BlockingCollection<ChatMessage> inbox)
        => client.MessageReceived += (_, e) => inbox.Add(e.Message);
}
