using System;
using System.Collections.Frozen;
using System.Collections.Generic;
using System.Text.RegularExpressions;
using ClientBridge.Protocol;
using Serilog.Core;
using Serilog.Events;

namespace ClientBridge.Logging;

/// <summary>
/// The rule that keeps calendar content and secrets out of every log: a property named like content or a
/// secret is replaced, a protocol message is shown by its type alone, and any string that still looks like an
/// e-mail address, a bearer token or a URL with a query is masked. It runs before any sink sees the event.
/// </summary>
public sealed partial class Redaction : ILogEventEnricher, IDestructuringPolicy
{
    public const string Mask = "[redacted]";

    /// <summary>Property names (case-insensitive) whose values are never logged.</summary>
    private static readonly FrozenSet<string> SensitiveNames = new[]
    {
        "subject", "topic", "body", "bodyexcerpt", "notes", "location", "attendee", "attendees", "organizer",
        "email", "address", "mail", "recipient", "recipients", "account", "username",
        "token", "accesstoken", "refreshtoken", "idtoken", "authorization", "password", "passcode", "secret",
        "clientsecret", "codeverifier", "code", "joinurl", "url", "payload", "frame",
        "schedulefor", "alternativehosts", "alternative_hosts", "althost", "althosts", "hosts",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>Names used by this codebase for things that merely contain a sensitive word but are safe (error codes, kinds).</summary>
    private static readonly FrozenSet<string> SafeNames = new[] { "Code", "ErrorCode", "SourceContext" }.ToFrozenSet(StringComparer.Ordinal);

    public static bool IsSensitiveName(string propertyName) =>
        !SafeNames.Contains(propertyName) && SensitiveNames.Contains(propertyName);

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        List<LogEventProperty>? replaced = null;
        foreach (KeyValuePair<string, LogEventPropertyValue> property in logEvent.Properties)
        {
            LogEventPropertyValue clean = IsSensitiveName(property.Key) ? new ScalarValue(Mask) : Scrub(property.Value);
            if (!ReferenceEquals(clean, property.Value))
            {
                (replaced ??= []).Add(new LogEventProperty(property.Key, clean));
            }
        }

        if (replaced is not null)
        {
            foreach (LogEventProperty property in replaced)
            {
                logEvent.AddOrUpdateProperty(property);
            }
        }
    }

    public bool TryDestructure(object value, ILogEventPropertyValueFactory propertyValueFactory, out LogEventPropertyValue result)
    {
        if (value is IBridgeMessage)
        {
            result = new ScalarValue($"[{value.GetType().Name}]");
            return true;
        }

        result = null!;
        return false;
    }

    /// <summary>Masks what looks like an address, a token or a link with parameters inside a string.</summary>
    public static string ScrubText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = EmailPattern().Replace(text, Mask);
        text = BearerPattern().Replace(text, "Bearer " + Mask);
        return UrlQueryPattern().Replace(text, m => m.Groups["base"].Value + "?" + Mask);
    }

    private static LogEventPropertyValue Scrub(LogEventPropertyValue value) => value switch
    {
        ScalarValue { Value: string text } when ScrubText(text) is var clean && clean != text => new ScalarValue(clean),
        ScalarValue { Value: IBridgeMessage message } => new ScalarValue($"[{message.GetType().Name}]"),
        StructureValue structure => ScrubStructure(structure),
        SequenceValue sequence => new SequenceValue(Array.ConvertAll([.. sequence.Elements], Scrub)),
        DictionaryValue dictionary => new DictionaryValue(ScrubPairs(dictionary.Elements)),
        _ => value,
    };

    private static StructureValue ScrubStructure(StructureValue structure)
    {
        var properties = new List<LogEventProperty>();
        foreach (LogEventProperty property in structure.Properties)
        {
            properties.Add(new LogEventProperty(property.Name, IsSensitiveName(property.Name) ? new ScalarValue(Mask) : Scrub(property.Value)));
        }

        return new StructureValue(properties, structure.TypeTag);
    }

    private static IEnumerable<KeyValuePair<ScalarValue, LogEventPropertyValue>> ScrubPairs(IReadOnlyDictionary<ScalarValue, LogEventPropertyValue> pairs)
    {
        foreach (KeyValuePair<ScalarValue, LogEventPropertyValue> pair in pairs)
        {
            bool sensitive = pair.Key.Value is string key && IsSensitiveName(key);
            yield return new(pair.Key, sensitive ? new ScalarValue(Mask) : Scrub(pair.Value));
        }
    }

    [GeneratedRegex(@"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}", RegexOptions.CultureInvariant)]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"Bearer\s+[A-Za-z0-9\-._~+/]+=*", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex BearerPattern();

    [GeneratedRegex(@"(?<base>https?://[^\s?#]+)\?[^\s#]*", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex UrlQueryPattern();
}
