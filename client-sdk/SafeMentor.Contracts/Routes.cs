namespace SafeMentor.Contracts;

/// <summary>HTTP routes of the relay. Placeholders in braces are path parameters.</summary>
public static partial class Routes
{
    /// <summary>Liveness and storage check.</summary>
    public const string Health = "/healthz";

    /// <summary>The SignalR hub (JSON and MessagePack protocols).</summary>
    public const string Hub = "/hub";

    /// <summary>POST: a fresh sign-in challenge.</summary>
    public const string Challenge = "/v1/auth/challenge";

    /// <summary>POST: answer a challenge and receive tokens.</summary>
    public const string SignIn = "/v1/auth/sign-in";

    /// <summary>POST: exchange a refresh token for new tokens.</summary>
    public const string Refresh = "/v1/auth/refresh";

    /// <summary>POST: sign out this device: its access and refresh tokens stop working.</summary>
    public const string SignOut = "/v1/auth/sign-out";

    /// <summary>POST: sign out every device of the account: all its tokens stop working.</summary>
    public const string SignOutEverywhere = "/v1/auth/sign-out-everywhere";

    /// <summary>POST: create an account by redeeming an invite.</summary>
    public const string Accounts = "/v1/accounts";

    /// <summary>GET: the caller's account and programme roles.</summary>
    public const string Me = "/v1/accounts/me";

    /// <summary>POST: redeem an invite with an existing account.</summary>
    public const string RedeemInvite = "/v1/invites/redeem";

    /// <summary>PUT: upload a signed prekey and one-time prekeys.</summary>
    public const string Prekeys = "/v1/keys/prekeys";

    /// <summary>GET: how many one-time prekeys the caller has left.</summary>
    public const string PrekeyCount = "/v1/keys/prekeys/count";

    /// <summary>GET: a counterpart's prekey bundle.</summary>
    public const string Bundle = "/v1/keys/bundles/{accountId}";

    /// <summary>POST: create a programme. GET (with id): read one.</summary>
    public const string Programmes = "/v1/programmes";

    /// <summary>GET: a programme.</summary>
    public const string Programme = "/v1/programmes/{programmeId}";

    /// <summary>PUT: publish a new ground-rules version.</summary>
    public const string GroundRules = "/v1/programmes/{programmeId}/ground-rules";

    /// <summary>GET: one ground-rules version.</summary>
    public const string GroundRulesVersion = "/v1/programmes/{programmeId}/ground-rules/{version}";

    /// <summary>POST: invite someone into a programme with a role.</summary>
    public const string ProgrammeInvites = "/v1/programmes/{programmeId}/invites";

    /// <summary>GET: the programme's members and roles.</summary>
    public const string ProgrammeMembers = "/v1/programmes/{programmeId}/members";

    /// <summary>POST: a coordinator suspends a member: the account's tokens stop working and its relays close.</summary>
    public const string SuspendMember = "/v1/programmes/{programmeId}/members/{accountId}/suspend";

    /// <summary>POST: a coordinator lifts a suspension made in the programme.</summary>
    public const string ReinstateMember = "/v1/programmes/{programmeId}/members/{accountId}/reinstate";

    /// <summary>POST: match a mentor and a mentee. GET: list the programme's mentorships.</summary>
    public const string ProgrammeMentorships = "/v1/programmes/{programmeId}/mentorships";

    /// <summary>GET: the caller's mentorships.</summary>
    public const string MyMentorships = "/v1/mentorships";

    /// <summary>GET: one mentorship.</summary>
    public const string Mentorship = "/v1/mentorships/{mentorshipId}";

    /// <summary>POST: end a mentorship.</summary>
    public const string EndMentorship = "/v1/mentorships/{mentorshipId}/end";

    /// <summary>POST: submit a signed consent statement.</summary>
    public const string Consents = "/v1/mentorships/{mentorshipId}/consents";

    /// <summary>POST: file a receipt for an export record (hashes and statements only). GET: list the mentorship's receipts.</summary>
    public const string ExportReceipts = "/v1/mentorships/{mentorshipId}/export-receipts";
}
