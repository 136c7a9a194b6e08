using System;
using MessagePack;
using MessagePack.Formatters;
using MessagePack.Resolvers;

namespace ClientBridge.Protocol;

/// <summary>
/// The MessagePack formatters of every message, one property per message type (<c>BridgeWire.Default.Ping</c>),
/// written at build time by ClientBridge.Protocol.Generators from the <c>[Key(n)]</c> of each member. Nothing is
/// generated at run time: no formatter here, and no resolver they use, emits code, so the agent runs with the
/// constraints of trimming and ahead-of-time compilation, and the add-in pays no code generation inside Outlook.
/// </summary>
/// <remarks>
/// A message is a MessagePack array; member n sits at index n. A newer peer may append members (an older one skips
/// them); a member's key is never reused for another meaning. <see cref="BridgeJsonContext"/> stays for the command
/// line's <c>--json</c> output and its input files, never for the pipe.
/// </remarks>
public sealed partial class BridgeWire
{
    private BridgeWire()
    {
    }

    public static BridgeWire Default { get; } = new();

    /// <summary>
    /// What every formatter is handed: MessagePack's rules for untrusted data (collision-resistant hashing, a depth
    /// limit), with the depth limit of <see cref="BridgeProtocol.MaxNestingDepth"/>.
    /// </summary>
    public static MessagePackSerializerOptions Options { get; } = new WireOptions(new Resolver())
        .WithSecurity(MessagePackSecurity.UntrustedData.WithMaximumObjectGraphDepth(BridgeProtocol.MaxNestingDepth));

    private static partial IMessagePackFormatter? FindFormatter(Type type);

    /// <summary>Options built on this resolver only; <c>MessagePackSerializerOptions.Standard</c> would bring the emitting resolvers along.</summary>
    private sealed class WireOptions : MessagePackSerializerOptions
    {
        public WireOptions(IFormatterResolver resolver)
            : base(resolver)
        {
        }

        private WireOptions(WireOptions copyFrom)
            : base(copyFrom)
        {
        }

        protected override MessagePackSerializerOptions Clone() => new WireOptions(this);
    }

    /// <summary>The generated formatters, then MessagePack's built-in ones for primitives (which emit nothing).</summary>
    private sealed class Resolver : IFormatterResolver
    {
        public IMessagePackFormatter<T>? GetFormatter<T>() => Cache<T>.Formatter;

        private static class Cache<T>
        {
            public static readonly IMessagePackFormatter<T>? Formatter =
                (IMessagePackFormatter<T>?)FindFormatter(typeof(T)) ?? BuiltinResolver.Instance.GetFormatter<T>();
        }
    }
}
