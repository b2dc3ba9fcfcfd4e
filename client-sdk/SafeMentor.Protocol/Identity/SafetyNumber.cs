using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using SafeMentor.Protocol.Primitives;

namespace SafeMentor.Protocol.Identity;

/// <summary>
/// Safety numbers (docs/protocol.md, Identity): both parties compute the same 60 digits from their two
/// public identities and compare them out of band to rule out a key substituted by the server.
/// <c>b = HKDF(lo || hi, salt = 0x00*32, info = "SafeMentor/v1/safety-number", L = 60)</c>, twelve groups of
/// <c>u40(b[5i..5i+5)) mod 100000</c>.
/// </summary>
public static class SafetyNumber
{
    private static readonly byte[] s_info = Encoding.ASCII.GetBytes("SafeMentor/v1/safety-number");

    /// <summary>Computes the safety number of two identities; the order of the arguments does not matter.</summary>
    public static string Compute(PublicIdentity a, PublicIdentity b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var fa = a.Fingerprint();
        var fb = b.Fingerprint();
        var (lo, hi) = fa.AsSpan().SequenceCompareTo(fb) <= 0 ? (fa, fb) : (fb, fa);

        Span<byte> output = stackalloc byte[60];
        Span<byte> salt = stackalloc byte[32];
        salt.Clear();
        Crypto.Hkdf([.. lo, .. hi], salt, s_info, output);

        var text = new StringBuilder(71);
        Span<byte> u40 = stackalloc byte[8];
        for (var i = 0; i < 12; i++)
        {
            u40.Clear();
            output.Slice(5 * i, 5).CopyTo(u40[3..]);
            var group = BinaryPrimitives.ReadUInt64BigEndian(u40) % 100000;
            if (i > 0)
            {
                text.Append(' ');
            }

            text.Append(group.ToString("D5", CultureInfo.InvariantCulture));
        }

        CryptographicOperations.ZeroMemory(output);
        return text.ToString();
    }
}
