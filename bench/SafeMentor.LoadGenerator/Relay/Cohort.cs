using SafeMentor.Contracts;

namespace SafeMentor.LoadGenerator.Relay;

/// <summary>
/// Everyone a run needs on the relay: a coordinator (from the first-start invite) and a programme; pairs of mentor
/// and mentee that joined by invite, uploaded prekeys, were matched and both consented; and, for idle connections,
/// signed-in accounts that only connect. The bare hub reuses the same account and mentorship ids.
/// </summary>
internal sealed class Cohort : IDisposable
{
    private const int SetupParallelism = 16;

    private Cohort(BenchAccount coordinator, string programmeId, IReadOnlyList<BenchPair> pairs, IReadOnlyList<BenchAccount> idleAccounts)
    {
        Coordinator = coordinator;
        ProgrammeId = programmeId;
        Pairs = pairs;
        IdleAccounts = idleAccounts;
    }

    public BenchAccount Coordinator { get; }

    public string ProgrammeId { get; }

    public IReadOnlyList<BenchPair> Pairs { get; }

    public IReadOnlyList<BenchAccount> IdleAccounts { get; }

    public IEnumerable<BenchAccount> Accounts => Pairs.SelectMany(p => new[] { p.Mentor, p.Mentee }).Concat(IdleAccounts).Append(Coordinator);

    public static async Task<Cohort> CreateAsync(RelayApi api, string coordinatorInvite, int pairCount, int idleAccountCount, CancellationToken cancellationToken)
    {
        var coordinator = new BenchAccount("coordinator");
        await api.JoinAsync(coordinator, coordinatorInvite, cancellationToken);
        var programme = await api.CreateProgrammeAsync(coordinator, cancellationToken);
        var programmeId = programme.ProgrammeId;

        var pairs = new BenchPair[pairCount];
        await Parallel.ForAsync(0, pairCount, new ParallelOptions { MaxDegreeOfParallelism = SetupParallelism, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var mentor = new BenchAccount($"mentor {i}");
            var mentee = new BenchAccount($"mentee {i}");
            await api.JoinAsync(mentor, await api.InviteAsync(coordinator, programmeId, Roles.Mentor, ct), ct);
            await api.JoinAsync(mentee, await api.InviteAsync(coordinator, programmeId, Roles.Mentee, ct), ct);
            await api.UploadPrekeysAsync(mentor, oneTime: 1, ct);
            await api.UploadPrekeysAsync(mentee, oneTime: 1, ct);
            var mentorship = await api.MatchAsync(coordinator, programmeId, mentor, mentee, ct);
            await api.ConsentAsync(mentor, mentorship.MentorshipId, programme.GroundRules, ct);
            var consented = await api.ConsentAsync(mentee, mentorship.MentorshipId, programme.GroundRules, ct);
            if (!consented.RelayOpen)
            {
                throw new InvalidOperationException($"The relay did not open mentorship {mentorship.MentorshipId} after both consents.");
            }

            pairs[i] = new BenchPair(mentor, mentee, mentorship.MentorshipId);
        });

        var idle = new BenchAccount[idleAccountCount];
        await Parallel.ForAsync(0, idleAccountCount, new ParallelOptions { MaxDegreeOfParallelism = SetupParallelism, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var account = new BenchAccount($"idle {i}");
            await api.JoinAsync(account, await api.InviteAsync(coordinator, programmeId, Roles.Mentee, ct), ct);
            idle[i] = account;
        });

        return new Cohort(coordinator, programmeId, pairs, idle);
    }

    /// <summary>
    /// Signs in again every account whose token is older than <paramref name="maxAge"/>: the relay closes a hub
    /// connection when the token it was opened with expires, so a run must start with fresh tokens.
    /// </summary>
    public Task RefreshTokensAsync(RelayApi api, TimeSpan maxAge, CancellationToken cancellationToken)
        => Parallel.ForEachAsync(
            Accounts.Where(a => a.TokenAge > maxAge),
            new ParallelOptions { MaxDegreeOfParallelism = SetupParallelism, CancellationToken = cancellationToken },
            async (account, ct) => await api.SignInAsync(account, ct));

    public void Dispose()
    {
        foreach (var account in Accounts)
        {
            account.Dispose();
        }
    }
}
