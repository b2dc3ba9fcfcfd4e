using SafeMentor.Contracts;
using SafeMentor.Protocol.Identity;
using SafeMentor.Server.Accounts;
using SafeMentor.Server.Hosting;
using SafeMentor.Server.Retention;
using SafeMentor.Server.Storage;

namespace SafeMentor.Server.Mentorships;

/// <summary>Programmes, ground rules, invites, members and matching: the coordinator's side.</summary>
internal static class ProgrammeEndpoints
{
    public static IEndpointRouteBuilder MapProgrammeEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost(Routes.Programmes, CreateProgramme).WithName("CreateProgramme").AllowsBodyUpTo(BodyLimits.GroundRules).Answers<ProgrammeResponse>(201, 400, 401, 403, 413);
        app.MapGet(Routes.Programme, GetProgramme).WithName("GetProgramme").Answers<ProgrammeResponse>(200, 401, 404);
        app.MapPut(Routes.GroundRules, PublishGroundRules).WithName("PublishGroundRules").AllowsBodyUpTo(BodyLimits.GroundRules).Answers<ProgrammeResponse>(200, 400, 401, 403, 404, 413);
        app.MapGet(Routes.GroundRulesVersion, GetGroundRulesVersion).WithName("GetGroundRulesVersion").Answers<GroundRulesDto>(200, 401, 404);
        app.MapPost(Routes.ProgrammeInvites, CreateInvite).WithName("CreateProgrammeInvite").Answers<InviteResponse>(201, 400, 401, 403, 404);
        app.MapGet(Routes.ProgrammeMembers, ListMembers).WithName("ListProgrammeMembers").Answers<List<MemberDto>>(200, 401, 403, 404);
        app.MapPost(Routes.SuspendMember, Suspend).WithName("SuspendMember").Produces(StatusCodes.Status204NoContent).ProducesProblem(400).ProducesProblem(401).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        app.MapPost(Routes.ReinstateMember, Reinstate).WithName("ReinstateMember").Produces(StatusCodes.Status204NoContent).ProducesProblem(400).ProducesProblem(401).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        app.MapPost(Routes.ProgrammeMentorships, Match).WithName("MatchMentorship").Answers<MentorshipDto>(201, 400, 401, 403, 404, 409);
        app.MapGet(Routes.ProgrammeMentorships, ListMentorships).WithName("ListProgrammeMentorships").Answers<List<MentorshipDto>>(200, 401, 403, 404);
        return app;
    }

    private static async Task<IResult> CreateProgramme(CreateProgrammeRequest request, HttpContext context, AccountStore accounts, ProgrammeStore programmes, GroundRulesValidation validation, StorageWriter writer, TimeProvider time, RetentionLedger retention, RetentionBounds bounds)
    {
        var account = accounts.Find(context.User.AccountId());
        if (account is not { CanCreateProgrammes: true })
        {
            return Problems.Of(ErrorCodes.Forbidden, "Only accounts created with a server coordinator invite may create programmes.");
        }

        var name = request.Name?.Trim();
        if (!WireText.IsName(name, Limits.MaxProgrammeNameLength))
        {
            return Problems.Of(ErrorCodes.Malformed, $"A programme name has 1 to {Limits.MaxProgrammeNameLength} printable characters.");
        }

        if (bounds.Refuse(request.GroundRules) is { } outOfBounds)
        {
            return outOfBounds;
        }

        if (validation.Problem(request.GroundRules) is { } problem)
        {
            return Problems.Of(ErrorCodes.Malformed, problem);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var programme = await writer.WriteAsync(scope =>
        {
            var created = ProgrammeStore.Create(scope, name, request.GroundRules, now);
            AccountStore.AddMembership(scope, created.Id, account.Id, Roles.Coordinator, now);
            retention.ProgrammeCreated(scope, created, request.GroundRules, account.Id, now);
            return created;
        }).ConfigureAwait(false);
        return Results.Created($"{Routes.Programmes}/{programme.Id}", programmes.ToResponse(programme));
    }

    private static IResult GetProgramme(string programmeId, HttpContext context, ProgrammeAccess access)
        => access.Member(programmeId, context.User.AccountId(), out var programme) ?? Results.Ok(access.Programmes.ToResponse(programme!));

    private static async Task<IResult> PublishGroundRules(string programmeId, GroundRulesInput request, HttpContext context, ProgrammeAccess access, GroundRulesValidation validation, MentorshipService mentorships, RetentionBounds bounds)
    {
        if (access.Coordinator(programmeId, context.User.AccountId(), out _) is { } refused)
        {
            return refused;
        }

        if (bounds.Refuse(request) is { } outOfBounds)
        {
            return outOfBounds;
        }

        if (validation.Problem(request) is { } problem)
        {
            return Problems.Of(ErrorCodes.Malformed, problem);
        }

        var programme = await mentorships.PublishGroundRulesAsync(programmeId, request, context.User.AccountId()).ConfigureAwait(false);
        return Results.Ok(access.Programmes.ToResponse(programme));
    }

    private static IResult GetGroundRulesVersion(string programmeId, uint version, HttpContext context, ProgrammeAccess access)
    {
        if (access.Member(programmeId, context.User.AccountId(), out _) is { } refused)
        {
            return refused;
        }

        return access.Programmes.FindVersion(programmeId, version) is { } rules
            ? Results.Ok(ProgrammeStore.ToDto(rules))
            : Problems.Of(ErrorCodes.NotFound, "No such ground-rules version.");
    }

    private static async Task<IResult> CreateInvite(string programmeId, CreateInviteRequest request, HttpContext context, ProgrammeAccess access, InviteService invites)
    {
        if (access.Coordinator(programmeId, context.User.AccountId(), out _) is { } refused)
        {
            return refused;
        }

        return Roles.IsKnown(request.Role)
            ? Results.Created((string?)null, await invites.MintAsync(programmeId, request.Role).ConfigureAwait(false))
            : Problems.Of(ErrorCodes.Malformed, "The role must be mentee, mentor, coordinator or compliance_officer.");
    }

    private static IResult ListMembers(string programmeId, HttpContext context, ProgrammeAccess access, AccountStore accounts, AccountSecurity security)
    {
        if (access.Coordinator(programmeId, context.User.AccountId(), out _) is { } refused)
        {
            return refused;
        }

        var members = accounts.MembersOf(programmeId)
            .Select(m => new MemberDto(m.AccountId, accounts.Find(m.AccountId)?.Pseudonym ?? "", m.Role, security.IsSuspended(m.AccountId)));
        return Results.Ok(members.ToList());
    }

    private static async Task<IResult> Suspend(string programmeId, string accountId, HttpContext context, ProgrammeAccess access, AccountStore accounts, MemberSuspension suspension)
    {
        var caller = context.User.AccountId();
        if (access.Coordinator(programmeId, caller, out _) is { } refused)
        {
            return refused;
        }

        if (!accounts.IsMember(programmeId, accountId))
        {
            return Problems.Of(ErrorCodes.NotFound, "The account is not a member of this programme.");
        }

        if (accountId == caller)
        {
            return Problems.Of(ErrorCodes.Conflict, "A coordinator cannot suspend their own account.");
        }

        await suspension.SuspendAsync(programmeId, accountId, caller).ConfigureAwait(false);
        return Results.NoContent();
    }

    private static async Task<IResult> Reinstate(string programmeId, string accountId, HttpContext context, ProgrammeAccess access, AccountStore accounts, MemberSuspension suspension)
    {
        var caller = context.User.AccountId();
        if (access.Coordinator(programmeId, caller, out _) is { } refused)
        {
            return refused;
        }

        if (!accounts.IsMember(programmeId, accountId))
        {
            return Problems.Of(ErrorCodes.NotFound, "The account is not a member of this programme.");
        }

        return await suspension.ReinstateAsync(programmeId, accountId, caller).ConfigureAwait(false) == SuspensionOutcome.SuspendedElsewhere
            ? Problems.Of(ErrorCodes.Conflict, "The account was suspended by another programme's coordinator; only they can lift it.")
            : Results.NoContent();
    }

    private static async Task<IResult> Match(string programmeId, MatchRequest request, HttpContext context, ProgrammeAccess access, AccountStore accounts, MentorshipService mentorships, MentorshipStore store)
    {
        if (access.Coordinator(programmeId, context.User.AccountId(), out _) is { } refused)
        {
            return refused;
        }

        if (!AccountId.IsWellFormed(request.MentorAccountId) || !AccountId.IsWellFormed(request.MenteeAccountId) || request.MentorAccountId == request.MenteeAccountId)
        {
            return Problems.Of(ErrorCodes.Malformed, "Expected two different account ids.");
        }

        if (!accounts.HasRole(programmeId, request.MentorAccountId, Roles.Mentor) || !accounts.HasRole(programmeId, request.MenteeAccountId, Roles.Mentee))
        {
            return Problems.Of(ErrorCodes.NotFound, "The mentor and the mentee must hold those roles in this programme.");
        }

        return await mentorships.MatchAsync(programmeId, request.MentorAccountId, request.MenteeAccountId, context.User.AccountId()).ConfigureAwait(false) is { } state
            ? Results.Created($"{Routes.MyMentorships}/{state.Mentorship.Id}", store.ToDto(state))
            : Problems.Of(ErrorCodes.Conflict, "The mentee already has an active mentorship in this programme; it must end first.");
    }

    private static IResult ListMentorships(string programmeId, HttpContext context, ProgrammeAccess access, MentorshipStore store, MentorshipService mentorships)
    {
        if (access.Coordinator(programmeId, context.User.AccountId(), out _) is { } refused)
        {
            return refused;
        }

        return Results.Ok(store.OfProgramme(programmeId).Select(m => store.ToDto(mentorships.StateOf(m.Id)!)).ToList());
    }
}
