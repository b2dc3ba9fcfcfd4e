using Microsoft.Extensions.Options;
using SafeMentor.Contracts;
using SafeMentor.Server.Mentorships;

namespace SafeMentor.Server.Retention;

/// <summary>
/// The server's bounds on retention: maxima for the message terms from <c>SafeMentor:Programmes</c>, minima and
/// the audit range from <c>SafeMentor:Retention</c>. Ground rules and policy changes are held to the same bounds.
/// </summary>
internal sealed class RetentionBounds(IOptions<ProgrammeOptions> programmes, IOptions<RetentionOptions> retention)
{
    public RetentionOptions Options => retention.Value;

    public RetentionBoundsDto ToDto() => new(
        Ms(retention.Value.MinUndeliveredRetentionDays),
        Ms(programmes.Value.MaxUndeliveredRetentionDays),
        Ms(retention.Value.MinClientHistoryRetentionDays),
        Ms(programmes.Value.MaxClientHistoryRetentionDays),
        retention.Value.MinAuditRetentionDays,
        retention.Value.MaxAuditRetentionDays);

    /// <summary>Null when both message terms are within bounds; otherwise a sentence naming the bound.</summary>
    public string? Problem(long undeliveredRetentionMs, long clientHistoryRetentionMs)
    {
        var b = ToDto();
        if (undeliveredRetentionMs < b.MinUndeliveredRetentionMs || undeliveredRetentionMs > b.MaxUndeliveredRetentionMs)
        {
            return $"undeliveredRetentionMs must be between {b.MinUndeliveredRetentionMs} ({retention.Value.MinUndeliveredRetentionDays} days) and {b.MaxUndeliveredRetentionMs} ({programmes.Value.MaxUndeliveredRetentionDays} days) on this server.";
        }

        if (clientHistoryRetentionMs < b.MinClientHistoryRetentionMs || clientHistoryRetentionMs > b.MaxClientHistoryRetentionMs)
        {
            return $"clientHistoryRetentionMs must be between {b.MinClientHistoryRetentionMs} ({retention.Value.MinClientHistoryRetentionDays} days) and {b.MaxClientHistoryRetentionMs} ({programmes.Value.MaxClientHistoryRetentionDays} days) on this server.";
        }

        return null;
    }

    /// <summary>Null when the audit retention is within bounds; otherwise a sentence naming the bound.</summary>
    public string? AuditProblem(int auditRetentionDays)
        => auditRetentionDays < retention.Value.MinAuditRetentionDays || auditRetentionDays > retention.Value.MaxAuditRetentionDays
            ? $"auditRetentionDays must be between {retention.Value.MinAuditRetentionDays} and {retention.Value.MaxAuditRetentionDays} on this server."
            : null;

    /// <summary>Refuses ground rules whose retention terms are outside the bounds, with <c>out_of_bounds</c>; null when they are within.</summary>
    public IResult? Refuse(GroundRulesInput? rules)
        => rules is not null && Problem(rules.UndeliveredRetentionMs, rules.ClientHistoryRetentionMs) is { } problem
            ? Hosting.Problems.Of(ErrorCodes.OutOfBounds, problem)
            : null;

    private static long Ms(int days) => (long)TimeSpan.FromDays(days).TotalMilliseconds;
}
