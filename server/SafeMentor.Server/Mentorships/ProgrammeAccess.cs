using SafeMentor.Contracts;
using SafeMentor.Server.Accounts;
using SafeMentor.Server.Hosting;

namespace SafeMentor.Server.Mentorships;

/// <summary>Who may see or manage a programme. A programme the caller is not a member of is reported as not found.</summary>
internal sealed class ProgrammeAccess(ProgrammeStore programmes, AccountStore accounts)
{
    public ProgrammeStore Programmes => programmes;

    /// <summary>Null when the caller is a member; otherwise the refusal.</summary>
    public IResult? Member(string programmeId, string accountId, out ProgrammeDocument? programme)
    {
        programme = programmes.Find(programmeId);
        return programme is not null && accounts.IsMember(programmeId, accountId)
            ? null
            : Problems.Of(ErrorCodes.NotFound, "No such programme.");
    }

    /// <summary>Null when the caller is a coordinator of the programme; otherwise the refusal.</summary>
    public IResult? Coordinator(string programmeId, string accountId, out ProgrammeDocument? programme)
    {
        if (Member(programmeId, accountId, out programme) is { } notMember)
        {
            return notMember;
        }

        return accounts.HasRole(programmeId, accountId, Roles.Coordinator)
            ? null
            : Problems.Of(ErrorCodes.Forbidden, "Only a coordinator of the programme may do this.");
    }
}
