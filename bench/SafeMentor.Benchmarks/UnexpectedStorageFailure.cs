using SafeMentor.Server.Storage;

namespace SafeMentor.Benchmarks;

/// <summary>A benchmark's storage failing is a broken run, not a result: it throws instead of stopping the process.</summary>
internal sealed class UnexpectedStorageFailure : IStorageFailure
{
    public void Stop(Exception error) => throw new InvalidOperationException("The benchmark's storage failed.", error);
}
