using SafeMentor.Client;
using SafeMentor.Contracts;

namespace SafeMentor.Cli;

/// <summary>The server's and the SDK's error codes in words, for people.</summary>
internal static class ErrorText
{
    public static string Explain(string code) => code switch
    {
        ErrorCodes.Malformed => "the request was not understood (a value is missing, too long or badly formed)",
        ErrorCodes.InvalidSignature => "a signature did not verify",
        ErrorCodes.ChallengeInvalid => "the sign-in challenge was refused; try again",
        ErrorCodes.Unauthorized => "the server did not accept this account's sign-in",
        ErrorCodes.Forbidden => "this account does not have the role needed (for example, coordinator)",
        ErrorCodes.NotAParty => "this account is not a party of that mentorship",
        ErrorCodes.InviteInvalid => "the invite code is unknown, already used or expired; ask the coordinator for a new one",
        ErrorCodes.NotFound => "no such programme, mentorship or account (or it is not visible to you)",
        ErrorCodes.NoPrekeys => "the counterpart has not finished setting up yet; try again later",
        ErrorCodes.Conflict => "this conflicts with what the server already holds",
        ErrorCodes.ConsentRequired => "both parties must accept the current ground rules first (safementor rules consent)",
        ErrorCodes.MentorshipEnded => "the mentorship has ended",
        ErrorCodes.GroundRulesMismatch => "the ground rules changed; read them again and consent to the current version",
        ErrorCodes.TooLarge => "too large",
        ErrorCodes.RateLimited => "the server is busy with this account's requests; try again shortly",
        ErrorCodes.ExportNotAllowed => "the ground rules of this mentorship do not allow export",
        ErrorCodes.ExportConsentExpired => "the export consent has expired; ask for a new one",
        ErrorCodes.ExportOutOfRange => "the export covers more than the counterpart consented to",
        ErrorCodes.Unavailable => "the server could not complete the request; try again later",
        ClientErrorCodes.WrongPassphrase => "the passphrase does not open this store",
        ClientErrorCodes.StoreCorrupt => "the store file is damaged or not a SafeMentor store",
        ClientErrorCodes.NoIdentity => "this store has no identity yet (safementor init, or safementor join <invite>)",
        ClientErrorCodes.IdentityExists => "this store already holds an identity",
        ClientErrorCodes.NotJoined => "this identity has not joined a server yet (safementor join <invite>)",
        ClientErrorCodes.Offline => "the server cannot be reached; what you wrote stays in the outbox and is sent next time",
        ClientErrorCodes.Protocol => "a cryptographic check failed",
        ClientErrorCodes.GroundRulesHashMismatch => "the server's ground rules do not match their hash: nothing was signed; tell your coordinator",
        ClientErrorCodes.ExportConsentRequired => "there is no valid export consent from the counterpart (safementor export request, then wait for approval)",
        ClientErrorCodes.UnknownExportRequest => "no such export request from your counterpart",
        ClientErrorCodes.UnknownMentorship => "unknown mentorship (safementor mentorships lists yours)",
        ClientErrorCodes.InvalidText => "a message needs some text, and at most 60000 bytes",
        _ => "the operation failed",
    };
}
