using System.Text;

namespace SafeMentor.Protocol.Tests.Support;

internal static class Payloads
{
    public static byte[] Text(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>A distinct payload per index, with lengths that cross padding-block boundaries.</summary>
    public static byte[] Numbered(string sender, int index)
        => Encoding.UTF8.GetBytes($"{sender}#{index}:" + new string('x', (index * 37) % 600));
}
