namespace SafeMentor.Server.Storage;

/// <summary>
/// Times are stored as UTC. The database is opened with <c>UtcDate</c> so they also come back as UTC; this
/// conversion stays correct whatever kind a value carries, so no answer depends on the machine's time zone.
/// </summary>
internal static class StoredTime
{
    public static DateTimeOffset ToOffset(DateTime stored) => stored.Kind switch
    {
        DateTimeKind.Utc => new DateTimeOffset(stored, TimeSpan.Zero),
        DateTimeKind.Local => new DateTimeOffset(stored.ToUniversalTime(), TimeSpan.Zero),
        _ => new DateTimeOffset(DateTime.SpecifyKind(stored, DateTimeKind.Utc)),
    };
}
