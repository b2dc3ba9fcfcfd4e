using SafeMentor.Contracts;
using SafeMentor.Server.Accounts;
using SafeMentor.Server.Audit;
using SafeMentor.Server.Hosting;
using SafeMentor.Server.Mentorships;
using SafeMentor.Server.Storage;

namespace SafeMentor.Server.Compliance;

/// <summary>
/// Who may read retention and compliance views, and the audit entry every read by a compliance officer leaves.
/// A programme the caller is not a member of is reported as not found, as elsewhere; a member without the role is
/// forbidden. A read is answered only once its audit entry is durable.
/// </summary>
internal sealed class ComplianceAccess(ProgrammeStore programmes, AccountStore accounts, StorageWriter writer, AuditTrail audit)
{
    /// <summary>Null when the caller is a compliance officer of the programme; otherwise the refusal.</summary>
    public IResult? Officer(string programmeId, string accountId)
        => Member(programmeId, accountId) ?? (accounts.HasRole(programmeId, accountId, Roles.ComplianceOfficer)
            ? null
            : Problems.Of(ErrorCodes.Forbidden, "Only a compliance officer of the programme may read this."));

    /// <summary>Null when the caller is a coordinator or a compliance officer of the programme; otherwise the refusal.</summary>
    public IResult? CoordinatorOrOfficer(string programmeId, string accountId)
        => Member(programmeId, accountId) ?? (IsOfficer(programmeId, accountId) || accounts.HasRole(programmeId, accountId, Roles.Coordinator)
            ? null
            : Problems.Of(ErrorCodes.Forbidden, "Only a coordinator or a compliance officer of the programme may read this."));

    public bool IsOfficer(string programmeId, string accountId) => accounts.HasRole(programmeId, accountId, Roles.ComplianceOfficer);

    /// <summary>Records, durably, that a compliance officer read <paramref name="view"/>; returns the entry's sequence number.</summary>
    public Task<long> RecordReadAsync(string programmeId, string officerId, string view)
        => writer.WriteAsync(scope => audit.Append(scope, AuditRecords.ComplianceRead(programmeId, officerId, view)));

    /// <summary>Like <see cref="RecordReadAsync"/> when the caller reads as an officer; nothing for a coordinator.</summary>
    public async Task RecordIfOfficerAsync(string programmeId, string accountId, string view)
    {
        if (IsOfficer(programmeId, accountId))
        {
            await RecordReadAsync(programmeId, accountId, view).ConfigureAwait(false);
        }
    }

    private IResult? Member(string programmeId, string accountId)
        => programmes.Find(programmeId) is not null && accounts.IsMember(programmeId, accountId)
            ? null
            : Problems.Of(ErrorCodes.NotFound, "No such programme.");
}
