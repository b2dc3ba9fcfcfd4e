using Microsoft.Extensions.Options;
using SafeMentor.Contracts;
using SafeMentor.Server.Hosting;

namespace SafeMentor.Server.Mentorships;

/// <summary>Checks a coordinator's ground rules against the wire limits and the server's retention bounds.</summary>
internal sealed class GroundRulesValidation(IOptions<ProgrammeOptions> options)
{
    /// <summary>Null when valid, otherwise what is wrong (safe to show: it names fields, not content).</summary>
    public string? Problem(GroundRulesInput? rules)
    {
        var bounds = options.Value;
        if (rules is null || rules.Text is null || rules.ContactHours is null)
        {
            return "Ground rules need text, contact hours and terms.";
        }

        if (!WireText.IsText(rules.Text, 1, Limits.MaxGroundRulesTextLength, multiLine: true))
        {
            return $"The ground-rules text must have 1 to {Limits.MaxGroundRulesTextLength} characters, and no control or format characters other than tab and line breaks.";
        }

        if (!WireText.IsText(rules.ContactHours, 0, Limits.MaxContactHoursLength, multiLine: false))
        {
            return $"Contact hours may have at most {Limits.MaxContactHoursLength} characters, on one line, without control or format characters.";
        }

        if (rules.UndeliveredRetentionMs <= 0 || rules.UndeliveredRetentionMs > TimeSpan.FromDays(bounds.MaxUndeliveredRetentionDays).TotalMilliseconds)
        {
            return $"undeliveredRetentionMs must be positive and at most {bounds.MaxUndeliveredRetentionDays} days on this server.";
        }

        if (rules.ClientHistoryRetentionMs <= 0 || rules.ClientHistoryRetentionMs > TimeSpan.FromDays(bounds.MaxClientHistoryRetentionDays).TotalMilliseconds)
        {
            return $"clientHistoryRetentionMs must be positive and at most {bounds.MaxClientHistoryRetentionDays} days on this server.";
        }

        return rules.ExpectedResponseHours > Limits.MaxExpectedResponseHours ? $"expectedResponseHours may be at most {Limits.MaxExpectedResponseHours}." : null;
    }
}
