using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace SafeMentor.Server.Hosting;

/// <summary>
/// The rules for text people type (pseudonyms, programme names, ground rules). Lengths are in UTF-16 code units.
/// Refused everywhere: unpaired surrogates, control characters (Unicode Cc) other than tab, line feed and carriage
/// return in multi-line text, format characters (Cf) other than the zero-width non-joiner and joiner (U+200C, U+200D,
/// which some scripts and emoji sequences need), and line and paragraph separators (Zl, Zp). Format characters such as
/// U+202E (right-to-left override) or U+200B (zero-width space) would let a name or a rule display as something other
/// than what it is.
/// </summary>
internal static class WireText
{
    private const char ZeroWidthNonJoiner = '\u200C';
    private const char ZeroWidthJoiner = '\u200D';

    /// <summary>
    /// A single-line name: 1 to <paramref name="maxLength"/> code units, no leading or trailing whitespace, at least one
    /// letter, mark, digit, punctuation mark or symbol.
    /// </summary>
    public static bool IsName([NotNullWhen(true)] string? value, int maxLength)
        => value is { Length: > 0 } && value.Length <= maxLength
            && !char.IsWhiteSpace(value[0]) && !char.IsWhiteSpace(value[^1])
            && IsClean(value, multiLine: false, out var visible) && visible;

    /// <summary>Multi-line text of <paramref name="minLength"/> to <paramref name="maxLength"/> code units.</summary>
    public static bool IsText([NotNullWhen(true)] string? value, int minLength, int maxLength, bool multiLine)
        => value is not null && value.Length >= minLength && value.Length <= maxLength && IsClean(value, multiLine, out _);

    private static bool IsClean(string value, bool multiLine, out bool visible)
    {
        visible = false;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= value.Length || !char.IsLowSurrogate(value[i + 1]))
                {
                    return false;
                }
            }
            else if (char.IsLowSurrogate(c))
            {
                return false;
            }

            switch (CharUnicodeInfo.GetUnicodeCategory(value, i))
            {
                case UnicodeCategory.Control when !(multiLine && c is '\t' or '\n' or '\r'):
                case UnicodeCategory.Format when c is not ZeroWidthNonJoiner and not ZeroWidthJoiner:
                case UnicodeCategory.LineSeparator:
                case UnicodeCategory.ParagraphSeparator:
                    return false;
                case UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.SpaceSeparator:
                    break;
                default:
                    visible = true;
                    break;
            }

            if (char.IsHighSurrogate(c))
            {
                i++;
            }
        }

        return true;
    }
}
