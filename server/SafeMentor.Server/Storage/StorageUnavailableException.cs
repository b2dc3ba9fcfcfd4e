namespace SafeMentor.Server.Storage;

/// <summary>The data folder cannot be used (in use by another process, or not writable); the message names the setting.</summary>
internal sealed class StorageUnavailableException : Exception
{
    public StorageUnavailableException()
    {
    }

    public StorageUnavailableException(string message)
        : base(message)
    {
    }

    public StorageUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
