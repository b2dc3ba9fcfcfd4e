using SafeMentor.Client.Storage;
using SafeMentor.Contracts;
using SafeMentor.Protocol.Identity;
using SafeMentor.Protocol.Statements;

namespace SafeMentor.Client;

public sealed partial class SafeMentorClient
{
    /// <summary>The current ground rules of a mentorship: a new version, or a withdrawal, means consent is needed again.</summary>
    public event EventHandler<RelayStateChangedEventArgs>? RelayStateChanged;

    /// <summary>A counterpart's identity key changed: warn the user loudly and ask them to compare safety numbers.</summary>
    public event EventHandler<IdentityKeyChangedEventArgs>? IdentityKeyChanged;

    /// <summary>Lists this account's mentorships (ended ones included), with the counterpart's pseudonym.</summary>
    public async Task<IReadOnlyList<MentorshipInfo>> GetMentorshipsAsync(CancellationToken cancellationToken = default)
    {
        var me = _identity?.AccountId ?? throw NoIdentity();
        var list = await Api().GetAsync<List<MentorshipDto>>(Routes.MyMentorships, cancellationToken).ConfigureAwait(false);
        _store.Write(b => b.PutJson(RecordNames.Mentorships, new MentorshipCache(list)), durable: false);
        foreach (var m in list.Where(m => m.EndedAt is null))
        {
            var counterpart = m.MentorAccountId == me ? m.MenteeAccountId : m.MentorAccountId;
            var pseudonym = m.MentorAccountId == me ? m.MenteePseudonym : m.MentorPseudonym;
            CheckPseudonym(m.ProgrammeId, pseudonym, counterpart);
        }

        return [.. list.Select(m => ToInfo(m, me))];
    }

    /// <summary>One mentorship (from the server).</summary>
    public async Task<MentorshipInfo> GetMentorshipAsync(string mentorshipId, CancellationToken cancellationToken = default)
    {
        var me = _identity?.AccountId ?? throw NoIdentity();
        var dto = await Api().GetAsync<MentorshipDto>(Path(Routes.Mentorship, mentorshipId), cancellationToken).ConfigureAwait(false);
        return ToInfo(dto, me);
    }

    /// <summary>
    /// The mentorship's current ground rules, with their hash recomputed here (protocol's ground-rules hash) and
    /// whether it equals the hash the server names. Consent is refused when it does not.
    /// </summary>
    public async Task<GroundRulesView> GetGroundRulesAsync(string mentorshipId, CancellationToken cancellationToken = default)
    {
        var mentorship = await Api().GetAsync<MentorshipDto>(Path(Routes.Mentorship, mentorshipId), cancellationToken).ConfigureAwait(false);
        var programme = await Api().GetAsync<ProgrammeResponse>(Routes.Programme.Replace("{programmeId}", mentorship.ProgrammeId, StringComparison.Ordinal), cancellationToken).ConfigureAwait(false);
        var rules = programme.GroundRules;
        var computed = Convert.ToBase64String(Canonical(rules).ComputeHash());
        _store.Write(b => b.PutJson(RecordNames.GroundRules(mentorshipId), rules), durable: false);
        return new GroundRulesView(rules, computed, string.Equals(computed, rules.Hash, StringComparison.Ordinal));
    }

    /// <summary>Signs consent to the current ground rules (after recomputing their hash) and submits it.</summary>
    public Task<MentorshipInfo> ConsentAsync(string mentorshipId, CancellationToken cancellationToken = default)
        => DecideAsync(mentorshipId, ConsentDecision.Accept, cancellationToken);

    /// <summary>Withdraws consent: the relay closes until consent is given again.</summary>
    public Task<MentorshipInfo> WithdrawConsentAsync(string mentorshipId, CancellationToken cancellationToken = default)
        => DecideAsync(mentorshipId, ConsentDecision.Withdraw, cancellationToken);

    /// <summary>Ends the mentorship (no reason asked). Its queued envelopes are deleted on the server.</summary>
    public async Task<MentorshipInfo> EndMentorshipAsync(string mentorshipId, CancellationToken cancellationToken = default)
    {
        var dto = await Api().PostAsync<MentorshipDto>(Path(Routes.EndMentorship, mentorshipId), null, cancellationToken).ConfigureAwait(false);
        return ToInfo(dto, _identity!.AccountId);
    }

    /// <summary>
    /// The safety number with the mentorship's counterpart, to compare out of band. Uses the pinned identity, or
    /// fetches the counterpart's bundle (and starts the session with it, so no one-time prekey is wasted).
    /// </summary>
    public async Task<string> GetSafetyNumberAsync(string mentorshipId, CancellationToken cancellationToken = default)
    {
        var (counterpart, _) = await CounterpartAsync(mentorshipId, cancellationToken).ConfigureAwait(false);
        var contact = _store.GetJson<ContactRecord>(RecordNames.Contact(counterpart));
        if (contact is null)
        {
            await EnsureSessionAsync(counterpart, cancellationToken).ConfigureAwait(false);
            contact = _store.GetJson<ContactRecord>(RecordNames.Contact(counterpart))!;
        }

        var peer = PublicIdentityOf(contact);
        return SafetyNumber.Compute(_identity!.Public, peer);
    }

    // Coordinator operations.

    /// <summary>Creates a programme with its first ground rules (for accounts created with a server coordinator invite).</summary>
    public Task<ProgrammeResponse> CreateProgrammeAsync(string name, GroundRulesInput rules, CancellationToken cancellationToken = default)
        => Api().PostAsync<ProgrammeResponse>(Routes.Programmes, new CreateProgrammeRequest(name, rules), cancellationToken);

    /// <summary>Reads a programme and its current ground rules.</summary>
    public Task<ProgrammeResponse> GetProgrammeAsync(string programmeId, CancellationToken cancellationToken = default)
        => Api().GetAsync<ProgrammeResponse>(Routes.Programme.Replace("{programmeId}", programmeId, StringComparison.Ordinal), cancellationToken);

    /// <summary>Publishes new ground rules; every mentorship of the programme needs consent again.</summary>
    public Task<ProgrammeResponse> PublishGroundRulesAsync(string programmeId, GroundRulesInput rules, CancellationToken cancellationToken = default)
        => Api().PutAsync<ProgrammeResponse>(Routes.GroundRules.Replace("{programmeId}", programmeId, StringComparison.Ordinal), rules, cancellationToken);

    /// <summary>Mints an invite into a programme with a role.</summary>
    public Task<InviteResponse> CreateInviteAsync(string programmeId, string role, CancellationToken cancellationToken = default)
        => Api().PostAsync<InviteResponse>(Routes.ProgrammeInvites.Replace("{programmeId}", programmeId, StringComparison.Ordinal), new CreateInviteRequest(role), cancellationToken);

    /// <summary>Matches a mentor and a mentee.</summary>
    public Task<MentorshipDto> MatchAsync(string programmeId, string mentorAccountId, string menteeAccountId, CancellationToken cancellationToken = default)
        => Api().PostAsync<MentorshipDto>(Routes.ProgrammeMentorships.Replace("{programmeId}", programmeId, StringComparison.Ordinal), new MatchRequest(mentorAccountId, menteeAccountId), cancellationToken);

    /// <summary>The programme's members and roles.</summary>
    public Task<List<MemberDto>> GetMembersAsync(string programmeId, CancellationToken cancellationToken = default)
        => Api().GetAsync<List<MemberDto>>(Routes.ProgrammeMembers.Replace("{programmeId}", programmeId, StringComparison.Ordinal), cancellationToken);

    /// <summary>Every mentorship of a programme.</summary>
    public Task<List<MentorshipDto>> GetProgrammeMentorshipsAsync(string programmeId, CancellationToken cancellationToken = default)
        => Api().GetAsync<List<MentorshipDto>>(Routes.ProgrammeMentorships.Replace("{programmeId}", programmeId, StringComparison.Ordinal), cancellationToken);

    internal static GroundRules Canonical(GroundRulesDto rules) => new(
        rules.ProgrammeId, rules.Version, rules.Text, rules.UndeliveredRetentionMs, rules.ClientHistoryRetentionMs, rules.ExportAllowed, rules.ContactHours, rules.ExpectedResponseHours);

    internal static string Path(string route, string mentorshipId) => route.Replace("{mentorshipId}", mentorshipId, StringComparison.Ordinal);

    private async Task<MentorshipInfo> DecideAsync(string mentorshipId, ConsentDecision decision, CancellationToken cancellationToken)
    {
        var identity = _identity ?? throw NoIdentity();
        var view = await GetGroundRulesAsync(mentorshipId, cancellationToken).ConfigureAwait(false);
        if (!view.HashMatches)
        {
            throw new SafeMentorException(ClientErrorCodes.GroundRulesHashMismatch, "The server's ground rules do not hash to the hash it names; nothing was signed.");
        }

        var clock = _store.GetJson<ConsentClock>(RecordNames.ConsentClock(mentorshipId));
        var timestamp = Math.Max(NowMs, (clock?.LastTimestampMs ?? 0) + 1);
        var hash = Convert.FromBase64String(view.ComputedHash);
        var statement = new ConsentStatement(mentorshipId, hash, decision, timestamp);
        var signature = Convert.ToBase64String(StatementSigner.Sign(identity, statement));
        var wireDecision = decision == ConsentDecision.Accept ? ConsentDecisions.Accept : ConsentDecisions.Withdraw;
        _store.Write(b =>
        {
            b.PutJson(RecordNames.ConsentClock(mentorshipId), new ConsentClock(timestamp));
            if (decision == ConsentDecision.Accept)
            {
                b.PutJson(RecordNames.MyConsent(mentorshipId, view.ComputedHash), new MyConsentRecord(view.ComputedHash, timestamp, signature, wireDecision));
            }
        });
        var request = new ConsentRequest(view.Rules.Version, view.ComputedHash, wireDecision, timestamp, signature);
        var dto = await Api().PostAsync<MentorshipDto>(Path(Routes.Consents, mentorshipId), request, cancellationToken).ConfigureAwait(false);
        return ToInfo(dto, identity.AccountId);
    }

    private async Task<(string Counterpart, MentorshipDto Mentorship)> CounterpartAsync(string mentorshipId, CancellationToken cancellationToken)
    {
        var me = _identity?.AccountId ?? throw NoIdentity();
        var cached = _store.GetJson<MentorshipCache>(RecordNames.Mentorships)?.Mentorships.FirstOrDefault(m => m.MentorshipId == mentorshipId);
        var dto = cached ?? await Api().GetAsync<MentorshipDto>(Path(Routes.Mentorship, mentorshipId), cancellationToken).ConfigureAwait(false);
        var counterpart = dto.MentorAccountId == me ? dto.MenteeAccountId
            : dto.MenteeAccountId == me ? dto.MentorAccountId
            : throw new SafeMentorException(ErrorCodes.NotAParty, "This account is not a party of that mentorship.");
        return (counterpart, dto);
    }

    private void CheckPseudonym(string programmeId, string pseudonym, string accountId)
    {
        var name = RecordNames.Pseudonym(programmeId, pseudonym);
        var seen = _store.GetJson<PseudonymRecord>(name);
        if (seen is null)
        {
            _store.Write(b => b.PutJson(name, new PseudonymRecord(accountId)), durable: false);
            return;
        }

        if (!string.Equals(seen.AccountId, accountId, StringComparison.Ordinal))
        {
            _store.Write(b => b.PutJson(name, new PseudonymRecord(accountId)), durable: false);
            IdentityKeyChanged?.Invoke(this, new IdentityKeyChangedEventArgs(programmeId, pseudonym, seen.AccountId, accountId));
        }
    }

    private static PublicIdentity PublicIdentityOf(ContactRecord contact)
    {
        var signing = Convert.FromBase64String(contact.SigningKey);
        var dh = Convert.FromBase64String(contact.DhKey);
        return PublicIdentity.Verified(signing, dh, Convert.FromBase64String(contact.Binding));
    }

    private static MentorshipInfo ToInfo(MentorshipDto m, string me)
    {
        var iAmMentor = m.MentorAccountId == me;
        return new MentorshipInfo(
            m.MentorshipId,
            m.ProgrammeId,
            iAmMentor ? Roles.Mentor : Roles.Mentee,
            iAmMentor ? m.MenteeAccountId : m.MentorAccountId,
            iAmMentor ? m.MenteePseudonym : m.MentorPseudonym,
            m.GroundRulesVersion,
            iAmMentor ? m.MentorConsented : m.MenteeConsented,
            iAmMentor ? m.MenteeConsented : m.MentorConsented,
            m.RelayOpen,
            m.EndedAt is not null);
    }
}
