using SafeMentor.VectorGenerator;

namespace SafeMentor.Protocol.Tests.Vectors;

/// <summary>
/// The checked-in vectors are exactly what the implementation produces today: a change that would alter
/// a single byte on the wire fails here (regenerate with the generator only when that change is intended).
/// </summary>
public sealed class VectorRegenerationTests
{
    [Fact]
    public void SessionsJson_Regenerated_IsByteForByteIdentical()
        => Assert.Equal(VectorFiles.Text("sessions.json"), SessionVectors.Generate());

    [Fact]
    public void StatementsJson_Regenerated_IsByteForByteIdentical()
        => Assert.Equal(VectorFiles.Text("statements.json"), StatementVectors.Generate());
}
