using SafeMentor.Contracts;
using SafeMentor.Server.Storage;

namespace SafeMentor.Server.Accounts;

/// <summary>Accounts and their programme roles: reads from the database, writes inside the writer's transactions.</summary>
internal sealed class AccountStore(Database database)
{
    private LiteDB.ILiteCollection<AccountDocument> Accounts => database.Collection<AccountDocument>(Collections.Accounts);

    private LiteDB.ILiteCollection<MembershipDocument> Memberships => database.Collection<MembershipDocument>(Collections.Memberships);

    public AccountDocument? Find(string accountId) => Accounts.FindById(accountId);

    public bool Exists(string accountId) => Accounts.Exists(a => a.Id == accountId);

    public bool HasRole(string programmeId, string accountId, string role)
        => Memberships.FindById(MembershipId(programmeId, accountId, role)) is not null;

    public bool IsMember(string programmeId, string accountId)
        => Memberships.Exists(m => m.AccountId == accountId && m.ProgrammeId == programmeId);

    public IReadOnlyList<MembershipDocument> MembershipsOf(string accountId)
        => [.. Memberships.Find(m => m.AccountId == accountId).OrderBy(m => m.ProgrammeId, StringComparer.Ordinal).ThenBy(m => m.Role, StringComparer.Ordinal)];

    public IReadOnlyList<MembershipDocument> MembersOf(string programmeId)
        => [.. Memberships.Find(m => m.ProgrammeId == programmeId).OrderBy(m => m.JoinedAt).ThenBy(m => m.Id, StringComparer.Ordinal)];

    public AccountResponse ToResponse(AccountDocument account) => new(
        account.Id,
        account.Pseudonym,
        account.CanCreateProgrammes,
        [.. MembershipsOf(account.Id).Select(m => new MembershipDto(m.ProgrammeId, m.Role))]);

    /// <summary>Inside a write: gives an account a role in a programme (no change if it already has it).</summary>
    public static void AddMembership(WriteScope scope, string programmeId, string accountId, string role, DateTime now)
    {
        var memberships = scope.Collection<MembershipDocument>(Collections.Memberships);
        var id = MembershipId(programmeId, accountId, role);
        if (memberships.FindById(id) is null)
        {
            memberships.Insert(new MembershipDocument
            {
                Id = id,
                ProgrammeId = programmeId,
                AccountId = accountId,
                Role = role,
                JoinedAt = now,
            });
        }
    }

    private static string MembershipId(string programmeId, string accountId, string role) => $"{programmeId}/{accountId}/{role}";
}

/// <summary>Indexes of the account collections.</summary>
internal sealed class AccountSchema : IStorageSchema
{
    public void Apply(LiteDB.LiteDatabase database)
    {
        var memberships = database.GetCollection<MembershipDocument>(Collections.Memberships);
        memberships.EnsureIndex(m => m.AccountId);
        memberships.EnsureIndex(m => m.ProgrammeId);
    }
}
