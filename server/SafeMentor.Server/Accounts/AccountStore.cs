using SafeMentor.Contracts;
using SafeMentor.Server.Storage;

namespace SafeMentor.Server.Accounts;

/// <summary>Accounts and their programme roles.</summary>
internal sealed class AccountStore
{
    private readonly Database _database;

    public AccountStore(Database database)
    {
        _database = database;
        Memberships.EnsureIndex(m => m.AccountId);
        Memberships.EnsureIndex(m => m.ProgrammeId);
    }

    private LiteDB.ILiteCollection<AccountDocument> Accounts => _database.Collection<AccountDocument>(Collections.Accounts);

    private LiteDB.ILiteCollection<MembershipDocument> Memberships => _database.Collection<MembershipDocument>(Collections.Memberships);

    public AccountDocument? Find(string accountId) => Accounts.FindById(accountId);

    public bool Exists(string accountId) => Accounts.Exists(a => a.Id == accountId);

    /// <summary>Inserts a new account; false when the id is already taken.</summary>
    public bool TryInsert(AccountDocument account)
    {
        try
        {
            Accounts.Insert(account);
            return true;
        }
        catch (LiteDB.LiteException e) when (e.ErrorCode == LiteDB.LiteException.INDEX_DUPLICATE_KEY)
        {
            return false;
        }
    }

    public void Update(AccountDocument account) => Accounts.Update(account);

    /// <summary>Gives an account a role in a programme (no-op if it already has it).</summary>
    public void AddMembership(string programmeId, string accountId, string role, DateTime now)
        => Memberships.Upsert(new MembershipDocument
        {
            Id = $"{programmeId}/{accountId}/{role}",
            ProgrammeId = programmeId,
            AccountId = accountId,
            Role = role,
            JoinedAt = now,
        });

    public bool HasRole(string programmeId, string accountId, string role)
        => Memberships.FindById($"{programmeId}/{accountId}/{role}") is not null;

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
}
