using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SafeMentor.Contracts;
using SafeMentor.Protocol.Statements;
using SafeMentor.Server.Storage;
using SafeMentor.Server.Tests.Infrastructure;

namespace SafeMentor.Server.Tests.Hosting;

public sealed partial class MutationTests
{
    /// <summary>
    /// A programme with a consented mentorship, and a caller and a fresh valid sample for every operation. Users whose
    /// requests may succeed in ways that would change other operations (sign-ins, refreshes, uploads) are their own.
    /// </summary>
    private sealed class MutationWorld : IAsyncDisposable
    {
        private readonly ServerFactory _server;
        private readonly Scenario _world;
        private readonly List<TestUser> _users;
        private string? _coordinatorInvite;
        private string? _programmeInvite;
        private long _lastConsent;

        private MutationWorld(ServerFactory server, Scenario world, List<TestUser> users)
        {
            _server = server;
            _world = world;
            _users = users;
        }

        /// <summary>Whether making the last sample wrote to the database (a new invite), so the stored state must be read again.</summary>
        public bool SamplesWrote { get; private set; }

        public Dictionary<string, TestUser?> Callers { get; } = [];

        public Dictionary<string, Func<Task<JsonNode>>> Samples { get; } = [];

        public Dictionary<string, string> PathValues { get; } = [];

        /// <summary>Suspending is tried on a member whose suspension affects no other operation.</summary>
        public string PathValue(string operation, string parameter)
            => parameter == "accountId" && operation is "SuspendMember" or "ReinstateMember" ? _users[4].AccountId : PathValues[parameter];

        public static async Task<MutationWorld> CreateAsync(ServerFactory server)
        {
            var world = await Scenario.CreateAsync(server);
            var signer = await TestUser.JoinAsync(server, await world.InviteAsync(Roles.Mentee), "signer");
            var uploader = await TestUser.JoinAsync(server, await world.InviteAsync(Roles.Mentee), "uploader");
            await uploader.UploadPrekeysAsync(0);
            var spareMentor = await TestUser.JoinAsync(server, await world.InviteAsync(Roles.Mentor), "spare mentor");
            var spareMentee = await TestUser.JoinAsync(server, await world.InviteAsync(Roles.Mentee), "spare mentee");
            var suspendable = await TestUser.JoinAsync(server, await world.InviteAsync(Roles.Mentee), "suspendable");
            var officer = await TestUser.JoinAsync(server, await world.InviteAsync(Roles.ComplianceOfficer), "officer");
            var result = new MutationWorld(server, world, [signer, uploader, spareMentor, spareMentee, suspendable, officer]);
            result.Define(signer, uploader, spareMentor, spareMentee, officer);
            return result;
        }

        /// <summary>
        /// After an answer: what a success used up (a refresh token, an invite) is replaced for the next sample; what a
        /// refusal left alone is used again, so samples rarely write.
        /// </summary>
        public async Task AnsweredAsync(string operation, HttpResponseMessage response)
        {
            SamplesWrote = false;
            if (!response.IsSuccessStatusCode)
            {
                return;
            }

            switch (operation)
            {
                case "Refresh":
                    _users[0].UseTokens((await response.Content.ReadFromJsonAsync<TokenResponse>())!);
                    break;
                case "CreateAccount":
                    _coordinatorInvite = null;
                    break;
                case "RedeemInvite":
                    _programmeInvite = null;
                    break;
            }
        }

        /// <summary>A digest of everything in the database.</summary>
        public string Fingerprint()
        {
            var lite = _server.Services.GetRequiredService<Database>().Lite;
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            foreach (var name in lite.GetCollectionNames().Order(StringComparer.Ordinal))
            {
                hash.AppendData(Encoding.UTF8.GetBytes(name));
                foreach (var document in lite.GetCollection(name).FindAll().OrderBy(d => d["_id"].ToString(), StringComparer.Ordinal))
                {
                    hash.AppendData(LiteDB.BsonSerializer.Serialize(document));
                }
            }

            return Convert.ToHexString(hash.GetHashAndReset());
        }

        public async ValueTask DisposeAsync()
        {
            await _world.DisposeAsync();
            foreach (var user in _users)
            {
                await user.DisposeAsync();
            }
        }

        private void Define(TestUser signer, TestUser uploader, TestUser spareMentor, TestUser spareMentee, TestUser officer)
        {
            var w = _world;
            PathValues["programmeId"] = w.Programme.ProgrammeId;
            PathValues["mentorshipId"] = w.MentorshipId;
            PathValues["accountId"] = w.Mentee.AccountId;
            PathValues["version"] = "1";

            Callers["CreateAccount"] = null;
            Samples["CreateAccount"] = async () =>
            {
                var newcomer = TestUser.Unregistered(_server, "newcomer");
                _users.Add(newcomer);
                SamplesWrote |= _coordinatorInvite is null;
                _coordinatorInvite ??= _server.CoordinatorInvite();
                return Node(newcomer.CreateAccountRequest(_coordinatorInvite, await newcomer.ChallengeAsync()));
            };
            Callers["SignIn"] = null;
            Samples["SignIn"] = async () =>
            {
                var nonce = await signer.ChallengeAsync();
                return Node(new SignInRequest(signer.AccountId, nonce, signer.SignNonce(nonce)));
            };
            Callers["Refresh"] = null;
            Samples["Refresh"] = () => Task.FromResult(Node(new RefreshRequest(signer.Tokens!.RefreshToken)));
            Callers["RedeemInvite"] = uploader;
            Samples["RedeemInvite"] = async () =>
            {
                SamplesWrote |= _programmeInvite is null;
                _programmeInvite ??= await w.InviteAsync(Roles.ComplianceOfficer);
                return Node(new RedeemInviteRequest(_programmeInvite));
            };
            Callers["UploadPrekeys"] = uploader;
            Samples["UploadPrekeys"] = () =>
            {
                var signed = uploader.Prekeys.CurrentSignedPrekey(uploader.Identity);
                return Task.FromResult(Node(new UploadPrekeysRequest(
                    new SignedPrekeyDto(signed.Id, Convert.ToBase64String(signed.PublicKey), Convert.ToBase64String(signed.Signature)),
                    [.. uploader.Prekeys.GenerateOneTimePrekeys(2).Select(k => new OneTimePrekeyDto(k.Id, Convert.ToBase64String(k.PublicKey)))])));
            };
            Callers["CreateProgramme"] = w.Coordinator;
            Samples["CreateProgramme"] = () => Task.FromResult(Node(new CreateProgrammeRequest("Mutated", Scenario.Rules)));
            Callers["PublishGroundRules"] = w.Coordinator;
            Samples["PublishGroundRules"] = () => Task.FromResult(Node(Scenario.Rules));
            Callers["CreateProgrammeInvite"] = w.Coordinator;
            Samples["CreateProgrammeInvite"] = () => Task.FromResult(Node(new CreateInviteRequest(Roles.Mentee)));
            Callers["MatchMentorship"] = w.Coordinator;
            Samples["MatchMentorship"] = () => Task.FromResult(Node(new MatchRequest(spareMentor.AccountId, spareMentee.AccountId)));
            Callers["SubmitConsent"] = w.Mentee;
            Samples["SubmitConsent"] = async () =>
            {
                var rules = await w.CurrentRulesAsync();
                _lastConsent = Math.Max(_lastConsent + 1, _server.Clock.GetUtcNow().ToUnixTimeMilliseconds());
                var statement = new ConsentStatement(w.MentorshipId, Convert.FromBase64String(rules.Hash), ConsentDecision.Accept, _lastConsent);
                return Node(new ConsentRequest(rules.Version, rules.Hash, ConsentDecisions.Accept, _lastConsent, Convert.ToBase64String(StatementSigner.Sign(w.Mentee.Identity, statement))));
            };

            Callers["ChangeRetention"] = w.Coordinator;
            Samples["ChangeRetention"] = () => Task.FromResult(Node(new RetentionChangeRequest(Scenario.Rules.UndeliveredRetentionMs, Scenario.Rules.ClientHistoryRetentionMs, 3000, "Mutated")));
            Callers["PreviewRetention"] = w.Coordinator;
            Samples["PreviewRetention"] = () => Task.FromResult(Node(new RetentionPreviewRequest(Scenario.Rules.UndeliveredRetentionMs)));
            Callers["IssueCompliancePageLink"] = officer;
            Samples["IssueCompliancePageLink"] = () => Task.FromResult(Node(new PageLinkRequest(w.Programme.ProgrammeId)));

            // Well-formed but unsigned: the mentorship's ground rules do not allow export, so it is refused on content.
            Callers["FileExportReceipt"] = w.Mentor;
            Samples["FileExportReceipt"] = () => Task.FromResult(Node(Scenario.UnsignedExportReceipt(_server.Clock.GetUtcNow().ToUnixTimeMilliseconds())));

            // Operations with path parameters only; the caller is one allowed to make the request unmutated.
            foreach (var (operation, caller) in new (string, TestUser)[]
            {
                ("GetPrekeyBundle", w.Mentor), ("GetProgramme", w.Mentee), ("GetGroundRulesVersion", w.Mentee),
                ("ListProgrammeMembers", w.Coordinator), ("ListProgrammeMentorships", w.Coordinator), ("GetMentorship", w.Mentee),
                ("EndMentorship", w.Mentee), ("SuspendMember", w.Coordinator), ("ReinstateMember", w.Coordinator),
                ("ListExportReceipts", w.Mentor), ("GetRetention", w.Coordinator), ("GetRetentionHistory", w.Coordinator),
                ("GetDeletionReceipts", officer), ("GetEnforcementReport", officer), ("GetComplianceRegister", officer), ("ExportAudit", officer),
            })
            {
                Callers[operation] = caller;
            }
        }

        private static JsonNode Node<T>(T value) => JsonSerializer.SerializeToNode(value, JsonSerializerOptions.Web)!;
    }
}
