using SafeMentor.Contracts;
using SafeMentor.Protocol.Statements;
using SafeMentor.Server.Accounts;
using SafeMentor.Server.Hosting;
using SafeMentor.Server.Storage;

namespace SafeMentor.Server.Mentorships;

/// <summary>The parties' side of a mentorship: reading it, consenting to its ground rules, ending it.</summary>
internal static partial class MentorshipEndpoints
{
    // A consent statement may be at most this far ahead of the server's clock.
    private static readonly TimeSpan s_maxClockSkew = TimeSpan.FromMinutes(5);

    public static IEndpointRouteBuilder MapMentorshipEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet(Routes.MyMentorships, ListMine).WithName("ListMyMentorships").Answers<List<MentorshipDto>>(200, 401);
        app.MapGet(Routes.Mentorship, Get).WithName("GetMentorship").Answers<MentorshipDto>(200, 401, 403, 404);
        app.MapPost(Routes.Consents, Consent).WithName("SubmitConsent").Answers<MentorshipDto>(200, 400, 401, 403, 404, 409);
        app.MapPost(Routes.EndMentorship, End).WithName("EndMentorship").Answers<MentorshipDto>(200, 401, 403, 404, 409);
        return app;
    }

    private static IResult ListMine(HttpContext context, MentorshipStore store, MentorshipService mentorships)
        => Results.Ok(store.OfAccount(context.User.AccountId()).Select(m => store.ToDto(mentorships.StateOf(m.Id)!)).ToList());

    private static IResult Get(string mentorshipId, HttpContext context, MentorshipService mentorships, MentorshipStore store, AccountStore accounts)
    {
        var caller = context.User.AccountId();
        var state = mentorships.StateOf(mentorshipId);
        if (state is null)
        {
            return Problems.Of(ErrorCodes.NotFound, "No such mentorship.");
        }

        return state.IsParty(caller) || accounts.HasRole(state.Mentorship.ProgrammeId, caller, Roles.Coordinator)
            ? Results.Ok(store.ToDto(state))
            : Problems.Of(ErrorCodes.NotAParty, "Only the parties and the programme's coordinators may read a mentorship.");
    }

    private static async Task<IResult> Consent(
        string mentorshipId,
        ConsentRequest request,
        HttpContext context,
        MentorshipService mentorships,
        MentorshipStore store,
        ProgrammeStore programmes,
        AccountStore accounts,
        TimeProvider time,
        ILogger<MentorshipService> logger)
    {
        var caller = context.User.AccountId();
        if (PartyOf(mentorships.StateOf(mentorshipId), caller) is { } refused)
        {
            return refused;
        }

        ConsentDecision? decision = request.Decision switch
        {
            ConsentDecisions.Accept => ConsentDecision.Accept,
            ConsentDecisions.Withdraw => ConsentDecision.Withdraw,
            _ => null,
        };
        var now = time.GetUtcNow();
        if (decision is null
            || request.TimestampMs < 0
            || request.TimestampMs > (now + s_maxClockSkew).ToUnixTimeMilliseconds()
            || !Base64Field.TryDecode(request.GroundRulesHash, Limits.HashBytes, out var hash)
            || !Base64Field.TryDecode(request.Signature, Limits.SignatureBytes, out var signature))
        {
            return Problems.Of(ErrorCodes.Malformed, "Expected a decision (accept or withdraw), a time at most 5 minutes ahead of the server, a base64 32-byte hash and a base64 64-byte signature.");
        }

        var state = mentorships.StateOf(mentorshipId)!;
        var programme = programmes.Find(state.Mentorship.ProgrammeId)!;
        var current = programmes.Current(programme);
        if (request.GroundRulesVersion != current.Version || !hash.AsSpan().SequenceEqual(current.Hash))
        {
            return Problems.Of(ErrorCodes.GroundRulesMismatch, "Consent must name the mentorship's current ground-rules version and its hash.");
        }

        // A statement about a version cannot be older than the version (allowing the same clock skew as ahead).
        if (request.TimestampMs < (StoredTime.ToOffset(current.PublishedAt) - s_maxClockSkew).ToUnixTimeMilliseconds())
        {
            return Problems.Of(ErrorCodes.Malformed, "A consent statement cannot be dated before the ground-rules version it names was published.");
        }

        var statement = new ConsentStatement(mentorshipId, hash, decision.Value, request.TimestampMs);
        if (!StatementSigner.Verify(accounts.Find(caller)!.SigningKey, statement, signature))
        {
            return Problems.Of(ErrorCodes.InvalidSignature, "The consent statement's signature does not verify with the registered identity key.");
        }

        var outcome = await mentorships.RecordConsentAsync(
            new ConsentDocument
            {
                Id = Guid.NewGuid().ToString("N"),
                MentorshipId = mentorshipId,
                AccountId = caller,
                GroundRulesVersion = current.Version,
                GroundRulesHash = hash,
                Decision = (int)decision.Value,
                TimestampMs = request.TimestampMs,
                Signature = signature,
                ReceivedAt = now.UtcDateTime,
            },
            hash).ConfigureAwait(false);
        switch (outcome.Code)
        {
            case ErrorCodes.Conflict:
                return Problems.Of(ErrorCodes.Conflict, "A statement at least as recent is already on file; statements must move forward in time.");
            case ErrorCodes.GroundRulesMismatch:
                return Problems.Of(ErrorCodes.GroundRulesMismatch, "Consent must name the mentorship's current ground-rules version and its hash.");
            case ErrorCodes.MentorshipEnded:
                return Problems.Of(ErrorCodes.MentorshipEnded, "The mentorship has ended.");
        }

        LogConsent(logger, mentorshipId, request.Decision, current.Version, outcome.After.RelayOpen);
        return Results.Ok(store.ToDto(outcome.After));
    }

    private static async Task<IResult> End(string mentorshipId, HttpContext context, MentorshipService mentorships, MentorshipStore store, AccountStore accounts, ILogger<MentorshipService> logger)
    {
        // The parties, and the programme's coordinators (who must end a mentorship before matching the mentee again).
        var caller = context.User.AccountId();
        var state = mentorships.StateOf(mentorshipId);
        var byCoordinator = state is not null && !state.IsParty(caller) && accounts.HasRole(state.Mentorship.ProgrammeId, caller, Roles.Coordinator);
        if (!byCoordinator && PartyOf(state, caller) is { } refused)
        {
            return refused;
        }

        if (await mentorships.EndAsync(mentorshipId, caller).ConfigureAwait(false) is not { } ended)
        {
            return Problems.Of(ErrorCodes.MentorshipEnded, "The mentorship has ended.");
        }

        LogEnded(logger, mentorshipId);
        return Results.Ok(store.ToDto(ended));
    }

    /// <summary>Null when the caller is a party of a mentorship that has not ended; otherwise the refusal.</summary>
    private static IResult? PartyOf(MentorshipState? state, string caller)
    {
        if (state is null)
        {
            return Problems.Of(ErrorCodes.NotFound, "No such mentorship.");
        }

        if (!state.IsParty(caller))
        {
            return Problems.Of(ErrorCodes.NotAParty, "Only the mentor and the mentee of this mentorship may do this.");
        }

        return state.Ended ? Problems.Of(ErrorCodes.MentorshipEnded, "The mentorship has ended.") : null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Consent {Decision} to ground rules version {Version} recorded for mentorship {MentorshipId}; relay open: {RelayOpen}")]
    private static partial void LogConsent(ILogger logger, string mentorshipId, string decision, long version, bool relayOpen);

    [LoggerMessage(Level = LogLevel.Information, Message = "Mentorship {MentorshipId} ended; its queued envelopes were deleted")]
    private static partial void LogEnded(ILogger logger, string mentorshipId);
}
