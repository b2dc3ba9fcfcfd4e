using LiteDB;
using Microsoft.AspNetCore.SignalR;
using SafeMentor.Contracts;
using SafeMentor.Server.Audit;
using SafeMentor.Server.Mentorships;
using SafeMentor.Server.Messaging;
using SafeMentor.Server.Storage;

namespace SafeMentor.Server.Retention;

/// <summary>
/// Every programme's retention policy and its history. Each change is a new version (actor, time, values before and
/// after, reason) written in the same transaction as its audit entry. The two message terms live in the ground
/// rules, which the parties consent to: a change of either publishes a new ground-rules version with the same
/// text, so the relay of each mentorship closes until both parties accept the new terms, exactly as for any other
/// new ground rules. Audit retention is the policy's own and needs no consent.
/// </summary>
internal sealed class RetentionLedger(
    Database database,
    StorageWriter writer,
    AuditTrail audit,
    RetentionBounds bounds,
    MentorshipRegistry registry,
    IHubContext<RelayHub, IRelayClient> hub,
    TimeProvider time)
{
    /// <summary>The reason recorded for the first version of a new programme's policy.</summary>
    public const string CreatedReason = "Programme created";

    /// <summary>The policy in force in a programme.</summary>
    public RetentionPolicyDocument Current(string programmeId)
        => Latest(
            database.Collection<RetentionPolicyDocument>(Collections.RetentionPolicies),
            database.Collection<ProgrammeDocument>(Collections.Programmes),
            database.Collection<GroundRulesDocument>(Collections.GroundRules),
            programmeId,
            bounds.Options.DefaultAuditRetentionDays);

    /// <summary>Every stored version, oldest first.</summary>
    public IReadOnlyList<RetentionPolicyDocument> History(string programmeId)
        => [.. database.Collection<RetentionPolicyDocument>(Collections.RetentionPolicies)
            .Find(p => p.ProgrammeId == programmeId)
            .OrderBy(p => p.Version)];

    /// <summary>Inside the write that creates a programme: its policy's first version, and the audit entry.</summary>
    public void ProgrammeCreated(WriteScope scope, ProgrammeDocument programme, GroundRulesInput rules, string actorId, DateTime now)
    {
        var first = new RetentionPolicyDocument
        {
            Id = RetentionPolicyDocument.IdOf(programme.Id, 1),
            ProgrammeId = programme.Id,
            Version = 1,
            UndeliveredRetentionMs = rules.UndeliveredRetentionMs,
            ClientHistoryRetentionMs = rules.ClientHistoryRetentionMs,
            AuditRetentionDays = bounds.Options.DefaultAuditRetentionDays,
            GroundRulesVersion = programme.CurrentVersion,
            ChangedBy = actorId,
            ChangedAt = now,
            Reason = CreatedReason,
        };
        scope.Collection<RetentionPolicyDocument>(Collections.RetentionPolicies).Insert(first);
        audit.Append(scope, AuditRecords.PolicyChanged(programme.Id, actorId, null, first.Values, first.Version, first.Reason));
    }

    /// <summary>
    /// Inside the write that publishes ground rules: when the new version changes a retention term, the policy gets a
    /// new version (and an audit entry) naming the ground-rules version as its reason.
    /// </summary>
    public void GroundRulesPublished(WriteScope scope, ProgrammeDocument programme, string actorId, DateTime now)
    {
        var current = Latest(scope, programme.Id);
        var rules = ProgrammeStore.CurrentRules(scope, programme.Id);
        if (rules.UndeliveredRetentionMs == current.UndeliveredRetentionMs && rules.ClientHistoryRetentionMs == current.ClientHistoryRetentionMs)
        {
            return;
        }

        Record(scope, current, rules.UndeliveredRetentionMs, rules.ClientHistoryRetentionMs, current.AuditRetentionDays, programme.CurrentVersion, actorId, now, $"Published with ground-rules version {programme.CurrentVersion}");
    }

    /// <summary>
    /// Changes the policy as a coordinator asked, after the caller checked bounds and reason. Unchanged values make
    /// no new version. Parties of every active mentorship are told when their relay closes for new terms.
    /// </summary>
    public async Task<RetentionPolicyDocument> ChangeAsync(string programmeId, string actorId, RetentionChangeRequest change, string reason)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var (policy, affected) = await writer.WriteAsync(
            scope =>
            {
                var current = Latest(scope, programmeId);
                var affected = new List<MentorshipState>();
                if (current.UndeliveredRetentionMs == change.UndeliveredRetentionMs
                    && current.ClientHistoryRetentionMs == change.ClientHistoryRetentionMs
                    && current.AuditRetentionDays == change.AuditRetentionDays)
                {
                    return (current, affected);
                }

                var rules = ProgrammeStore.CurrentRules(scope, programmeId);
                var rulesVersion = rules.Version;
                if (rules.UndeliveredRetentionMs != change.UndeliveredRetentionMs || rules.ClientHistoryRetentionMs != change.ClientHistoryRetentionMs)
                {
                    var programme = ProgrammeStore.PublishVersion(
                        scope,
                        programmeId,
                        new GroundRulesInput(rules.Text, change.UndeliveredRetentionMs, change.ClientHistoryRetentionMs, rules.ExportAllowed, rules.ContactHours, checked((uint)rules.ExpectedResponseHours)),
                        now);
                    rulesVersion = programme.CurrentVersion;
                    foreach (var mentorship in scope.Collection<MentorshipDocument>(Collections.Mentorships).Find(m => m.ProgrammeId == programmeId && m.EndedAt == null))
                    {
                        var state = MentorshipStore.StateOf(scope, mentorship);
                        MentorshipRegistry.Stage(scope, state);
                        affected.Add(state);
                    }
                }

                return (Record(scope, current, change.UndeliveredRetentionMs, change.ClientHistoryRetentionMs, change.AuditRetentionDays, rulesVersion, actorId, now, reason), affected);
            },
            result => result.affected.ForEach(registry.Publish)).ConfigureAwait(false);

        foreach (var state in affected)
        {
            await hub.Clients.Users(state.Mentorship.MentorId, state.Mentorship.MenteeId).RelayStateChanged(state.ToRelayState()).ConfigureAwait(false);
        }

        return policy;
    }

    /// <summary>Inside a write: the policy in force as this transaction sees it.</summary>
    public RetentionPolicyDocument Latest(WriteScope scope, string programmeId)
        => Latest(
            scope.Collection<RetentionPolicyDocument>(Collections.RetentionPolicies),
            scope.Collection<ProgrammeDocument>(Collections.Programmes),
            scope.Collection<GroundRulesDocument>(Collections.GroundRules),
            programmeId,
            bounds.Options.DefaultAuditRetentionDays);

    private RetentionPolicyDocument Record(WriteScope scope, RetentionPolicyDocument current, long undelivered, long clientHistory, int auditDays, long rulesVersion, string actorId, DateTime now, string reason)
    {
        var next = new RetentionPolicyDocument
        {
            Id = RetentionPolicyDocument.IdOf(current.ProgrammeId, current.Version + 1),
            ProgrammeId = current.ProgrammeId,
            Version = current.Version + 1,
            UndeliveredRetentionMs = undelivered,
            ClientHistoryRetentionMs = clientHistory,
            AuditRetentionDays = auditDays,
            GroundRulesVersion = rulesVersion,
            ChangedBy = actorId,
            ChangedAt = now,
            Reason = reason,
        };
        scope.Collection<RetentionPolicyDocument>(Collections.RetentionPolicies).Insert(next);
        audit.Append(scope, AuditRecords.PolicyChanged(current.ProgrammeId, actorId, current.Values, next.Values, next.Version, reason));
        return next;
    }

    private static RetentionPolicyDocument Latest(
        ILiteCollection<RetentionPolicyDocument> policies,
        ILiteCollection<ProgrammeDocument> programmes,
        ILiteCollection<GroundRulesDocument> groundRules,
        string programmeId,
        int defaultAuditDays)
    {
        if (policies.Find(p => p.ProgrammeId == programmeId).OrderByDescending(p => p.Version).FirstOrDefault() is { } latest)
        {
            return latest;
        }

        // A programme from before policies were versioned: its ground rules are the policy, as version 0.
        var programme = programmes.FindById(programmeId) ?? throw new InvalidOperationException("Unknown programme.");
        var rules = groundRules.FindById($"{programmeId}/{programme.CurrentVersion}") ?? throw new InvalidOperationException("A programme's current ground rules are missing.");
        return new RetentionPolicyDocument
        {
            Id = RetentionPolicyDocument.IdOf(programmeId, 0),
            ProgrammeId = programmeId,
            Version = 0,
            UndeliveredRetentionMs = rules.UndeliveredRetentionMs,
            ClientHistoryRetentionMs = rules.ClientHistoryRetentionMs,
            AuditRetentionDays = defaultAuditDays,
            GroundRulesVersion = rules.Version,
            ChangedBy = "",
            ChangedAt = programme.CreatedAt,
            Reason = "In force before policy versions were recorded",
        };
    }

    public static RetentionPolicyDto ToDto(RetentionPolicyDocument policy) => new(
        policy.ProgrammeId,
        policy.Version,
        policy.UndeliveredRetentionMs,
        policy.ClientHistoryRetentionMs,
        policy.AuditRetentionDays,
        checked((uint)policy.GroundRulesVersion),
        policy.ChangedBy,
        StoredTime.ToOffset(policy.ChangedAt),
        policy.Reason);
}
