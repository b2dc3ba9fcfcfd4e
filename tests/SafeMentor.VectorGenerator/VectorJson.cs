using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace SafeMentor.VectorGenerator;

/// <summary>One JSON layout for every vector file: two-space indents, LF line ends, UTF-8 kept readable, final newline.</summary>
internal static class VectorJson
{
    public static string Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions
        {
            Indented = true,
            IndentSize = 2,
            NewLine = "\n",
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    public static void Hex(this Utf8JsonWriter writer, string name, ReadOnlySpan<byte> bytes)
        => writer.WriteString(name, Convert.ToHexStringLower(bytes));
}
