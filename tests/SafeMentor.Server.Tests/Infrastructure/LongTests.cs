namespace SafeMentor.Server.Tests.Infrastructure;

/// <summary>
/// Tests that repeat a fault many times run a short variant by default and a long one when the environment
/// variable <c>SAFEMENTOR_LONG_TESTS=1</c> is set (see README, "Running the tests").
/// </summary>
public static class LongTests
{
    public static bool Enabled => Environment.GetEnvironmentVariable("SAFEMENTOR_LONG_TESTS") == "1";

    /// <summary><paramref name="normal"/> by default, <paramref name="extended"/> in the long variant.</summary>
    public static int Pick(int normal, int extended) => Enabled ? extended : normal;

    /// <summary>A seed from <c>SAFEMENTOR_TEST_SEED</c> when set (to replay a failure), otherwise a fresh one.</summary>
    public static int Seed() => int.TryParse(Environment.GetEnvironmentVariable("SAFEMENTOR_TEST_SEED"), out var seed) ? seed : Random.Shared.Next();
}
