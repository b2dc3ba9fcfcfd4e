namespace SafeMentor.Server.Messaging;

/// <summary>A send or ack the relay refuses; <see cref="Code"/> is one of the stable error codes.</summary>
internal sealed class RelayRefusal : Exception
{
    public RelayRefusal(string code)
        : base(code) => Code = code;

    public RelayRefusal()
        : this(Contracts.ErrorCodes.Unavailable)
    {
    }

    public RelayRefusal(string message, Exception innerException)
        : base(message, innerException) => Code = Contracts.ErrorCodes.Unavailable;

    public string Code { get; }
}
