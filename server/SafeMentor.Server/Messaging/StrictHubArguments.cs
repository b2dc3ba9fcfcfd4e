using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.ExceptionServices;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using SafeMentor.Contracts;

namespace SafeMentor.Server.Messaging;

/// <summary>
/// Wraps each hub protocol (JSON, MessagePack) so that an invocation whose arguments cannot be bound (wrong number,
/// wrong types, bad base64, an unknown method) is refused with <c>HubException: malformed</c>, as any other malformed
/// call, instead of SignalR's generic "error on the server", which tells a client to retry what can never succeed.
/// Binding happens while the message is parsed, before hub filters run, so it has to be done here.
/// </summary>
internal sealed class StrictArgumentsProtocol(IHubProtocol inner) : IHubProtocol
{
    public string Name => inner.Name;

    public int Version => inner.Version;

    public TransferFormat TransferFormat => inner.TransferFormat;

    public bool TryParseMessage(ref ReadOnlySequence<byte> input, IInvocationBinder binder, [NotNullWhen(true)] out HubMessage? message)
    {
        if (!inner.TryParseMessage(ref input, binder, out message))
        {
            return false;
        }

        if (message is InvocationBindingFailureMessage failure)
        {
            message = new InvocationBindingFailureMessage(failure.InvocationId, failure.Target, ExceptionDispatchInfo.Capture(new HubException(ErrorCodes.Malformed)));
        }

        return true;
    }

    public void WriteMessage(HubMessage message, IBufferWriter<byte> output) => inner.WriteMessage(message, output);

    public ReadOnlyMemory<byte> GetMessageBytes(HubMessage message) => inner.GetMessageBytes(message);

    public bool IsVersionSupported(int version) => inner.IsVersionSupported(version);

    /// <summary>Replaces every registered hub protocol with its strict wrapper; call after the protocols are added.</summary>
    public static void WrapAll(IServiceCollection services)
    {
        foreach (var descriptor in services.Where(d => d.ServiceType == typeof(IHubProtocol)).ToList())
        {
            services.Remove(descriptor);
            services.AddSingleton<IHubProtocol>(provider => new StrictArgumentsProtocol(
                descriptor.ImplementationInstance as IHubProtocol
                ?? descriptor.ImplementationFactory?.Invoke(provider) as IHubProtocol
                ?? (IHubProtocol)ActivatorUtilities.CreateInstance(provider, descriptor.ImplementationType!)));
        }
    }
}
