using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ZoomEmulator;

/// <summary>
/// Checks JSON bodies against the request-body schemas of an OpenAPI 3.0 document read at run time.
/// Supported: $ref (local), allOf, anyOf/oneOf (at least one branch must match), type, nullable, enum, required,
/// properties, additionalProperties (false or a schema), items, minItems/maxItems, minLength/maxLength, pattern,
/// minimum/maximum (with exclusiveMinimum/exclusiveMaximum booleans), format date-time, date and email.
/// A string enum whose description allows comma separated values accepts a list of its members.
/// </summary>
internal sealed partial class OpenApiValidator : IDisposable
{
    private const int MaxDepth = 64;
    private readonly JsonDocument document;

    private OpenApiValidator(JsonDocument document) => this.document = document;

    public static OpenApiValidator Load(string path) => new(JsonDocument.Parse(File.ReadAllText(path)));

    public void Dispose() => document.Dispose();

    /// <summary>The application/json request-body schema of an operation, or null when it takes no body.</summary>
    public JsonElement? RequestSchema(string method, string pathTemplate, out bool bodyRequired)
    {
        bodyRequired = false;
        if (!document.RootElement.TryGetProperty("paths", out var paths)
            || !paths.TryGetProperty(pathTemplate, out var item)
            || !item.TryGetProperty(method.ToLowerInvariant(), out var operation)
            || !operation.TryGetProperty("requestBody", out var requestBody))
        {
            return null;
        }

        requestBody = Resolve(requestBody);
        bodyRequired = requestBody.TryGetProperty("required", out var required) && required.ValueKind == JsonValueKind.True;
        return requestBody.TryGetProperty("content", out var content)
            && content.TryGetProperty("application/json", out var media)
            && media.TryGetProperty("schema", out var schema)
            ? schema
            : null;
    }

    public void Validate(JsonElement schema, JsonElement value, string location, List<string> errors) =>
        Validate(schema, value, location, errors, 0);

    private void Validate(JsonElement schema, JsonElement value, string location, List<string> errors, int depth)
    {
        if (depth > MaxDepth)
        {
            errors.Add($"{location}: nested too deeply");
            return;
        }

        schema = Resolve(schema);
        if (schema.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        if (value.ValueKind == JsonValueKind.Null)
        {
            if (!(schema.TryGetProperty("nullable", out var nullable) && nullable.ValueKind == JsonValueKind.True))
            {
                errors.Add($"{location}: null is not allowed");
            }

            return;
        }

        if (schema.TryGetProperty("allOf", out var allOf))
        {
            foreach (var part in allOf.EnumerateArray())
            {
                Validate(part, value, location, errors, depth + 1);
            }
        }

        foreach (var keyword in new[] { "anyOf", "oneOf" })
        {
            if (schema.TryGetProperty(keyword, out var branches)
                && !branches.EnumerateArray().Any(branch =>
                {
                    var branchErrors = new List<string>();
                    Validate(branch, value, location, branchErrors, depth + 1);
                    return branchErrors.Count == 0;
                }))
            {
                errors.Add($"{location}: matches none of the {keyword} alternatives");
            }
        }

        if (schema.TryGetProperty("type", out var typeElement) && typeElement.GetString() is { } type && !HasType(value, type))
        {
            errors.Add($"{location}: expected {type}, got {Describe(value)}");
            return;
        }

        if (schema.TryGetProperty("enum", out var enumValues)
            && !enumValues.EnumerateArray().Any(allowed => JsonElement.DeepEquals(allowed, value))
            && !IsDocumentedCommaList(schema, enumValues, value))
        {
            errors.Add($"{location}: {Describe(value)} is not one of {enumValues.GetRawText()}");
        }

        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                CheckString(schema, value.GetString()!, location, errors);
                break;
            case JsonValueKind.Number:
                CheckNumber(schema, value.GetDecimal(), location, errors);
                break;
            case JsonValueKind.Object:
                CheckObject(schema, value, location, errors, depth);
                break;
            case JsonValueKind.Array:
                CheckArray(schema, value, location, errors, depth);
                break;
            default:
                break;
        }
    }

    private static void CheckString(JsonElement schema, string text, string location, List<string> errors)
    {
        if (schema.TryGetProperty("maxLength", out var maxLength) && text.Length > maxLength.GetInt32())
        {
            errors.Add($"{location}: {text.Length} characters, more than maxLength {maxLength.GetInt32()}");
        }

        if (schema.TryGetProperty("minLength", out var minLength) && text.Length < minLength.GetInt32())
        {
            errors.Add($"{location}: {text.Length} characters, fewer than minLength {minLength.GetInt32()}");
        }

        if (schema.TryGetProperty("pattern", out var pattern)
            && !Regex.IsMatch(text, pattern.GetString()!, RegexOptions.None, TimeSpan.FromSeconds(1)))
        {
            errors.Add($"{location}: \"{text}\" does not match pattern {pattern.GetString()}");
        }

        if (schema.TryGetProperty("format", out var format))
        {
            var ok = format.GetString() switch
            {
                "date-time" => ZoomDateTime.TryParse(text, out _, out _),
                "date" => DateTime.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
                "email" => EmailPattern().IsMatch(text),
                _ => true,
            };
            if (!ok)
            {
                errors.Add($"{location}: \"{text}\" is not a valid {format.GetString()}");
            }
        }
    }

    private static void CheckNumber(JsonElement schema, decimal number, string location, List<string> errors)
    {
        var exclusiveMin = schema.TryGetProperty("exclusiveMinimum", out var exMin) && exMin.ValueKind == JsonValueKind.True;
        var exclusiveMax = schema.TryGetProperty("exclusiveMaximum", out var exMax) && exMax.ValueKind == JsonValueKind.True;
        if (schema.TryGetProperty("minimum", out var minimum)
            && (exclusiveMin ? number <= minimum.GetDecimal() : number < minimum.GetDecimal()))
        {
            errors.Add($"{location}: {number.ToString(CultureInfo.InvariantCulture)} is below the minimum {minimum.GetRawText()}");
        }

        if (schema.TryGetProperty("maximum", out var maximum)
            && (exclusiveMax ? number >= maximum.GetDecimal() : number > maximum.GetDecimal()))
        {
            errors.Add($"{location}: {number.ToString(CultureInfo.InvariantCulture)} is above the maximum {maximum.GetRawText()}");
        }
    }

    private void CheckObject(JsonElement schema, JsonElement value, string location, List<string> errors, int depth)
    {
        if (schema.TryGetProperty("required", out var required))
        {
            foreach (var name in required.EnumerateArray().Select(r => r.GetString()!))
            {
                if (!value.TryGetProperty(name, out _))
                {
                    errors.Add($"{location}: required property \"{name}\" is missing");
                }
            }
        }

        var hasProperties = schema.TryGetProperty("properties", out var properties);
        schema.TryGetProperty("additionalProperties", out var additional);
        foreach (var property in value.EnumerateObject())
        {
            var childLocation = $"{location}.{property.Name}";
            if (hasProperties && properties.TryGetProperty(property.Name, out var propertySchema))
            {
                Validate(propertySchema, property.Value, childLocation, errors, depth + 1);
            }
            else if (additional.ValueKind == JsonValueKind.False)
            {
                errors.Add($"{childLocation}: unknown property (additionalProperties is false)");
            }
            else if (additional.ValueKind == JsonValueKind.Object)
            {
                Validate(additional, property.Value, childLocation, errors, depth + 1);
            }
        }
    }

    private void CheckArray(JsonElement schema, JsonElement value, string location, List<string> errors, int depth)
    {
        var length = value.GetArrayLength();
        if (schema.TryGetProperty("maxItems", out var maxItems) && length > maxItems.GetInt32())
        {
            errors.Add($"{location}: {length} items, more than maxItems {maxItems.GetInt32()}");
        }

        if (schema.TryGetProperty("minItems", out var minItems) && length < minItems.GetInt32())
        {
            errors.Add($"{location}: {length} items, fewer than minItems {minItems.GetInt32()}");
        }

        if (schema.TryGetProperty("items", out var items))
        {
            var index = 0;
            foreach (var item in value.EnumerateArray())
            {
                Validate(items, item, $"{location}[{index}]", errors, depth + 1);
                index++;
            }
        }
    }

    /// <summary>
    /// A string enum whose description says several values may be sent comma separated (recurrence.weekly_days: "1,3")
    /// accepts a list of distinct enum members: the spec's enum alone would refuse what its own text allows.
    /// </summary>
    private static bool IsDocumentedCommaList(JsonElement schema, JsonElement enumValues, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String
            || !schema.TryGetProperty("description", out var description)
            || description.GetString() is not { } text
            || !(text.Contains("comma separated", StringComparison.OrdinalIgnoreCase) || text.Contains("comma-separated", StringComparison.OrdinalIgnoreCase)))
        {
            return false;
        }

        var allowed = enumValues.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToHashSet(StringComparer.Ordinal);
        var parts = value.GetString()!.Split(',');
        return parts.Length > 1 && parts.All(allowed.Contains) && parts.Distinct(StringComparer.Ordinal).Count() == parts.Length;
    }

    private static bool HasType(JsonElement value, string type) => type switch
    {
        "string" => value.ValueKind == JsonValueKind.String,
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
        "number" => value.ValueKind == JsonValueKind.Number,
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "object" => value.ValueKind == JsonValueKind.Object,
        "array" => value.ValueKind == JsonValueKind.Array,
        _ => true,
    };

    private static string Describe(JsonElement value)
    {
        var raw = value.GetRawText();
        if (raw.Length > 60)
        {
            raw = string.Concat(raw.AsSpan(0, 57), "...");
        }

        return $"{value.ValueKind.ToString().ToLowerInvariant()} {raw}";
    }

    /// <summary>Follows local "$ref": "#/..." pointers (several hops, no cycles beyond a limit).</summary>
    private JsonElement Resolve(JsonElement schema)
    {
        for (var hops = 0; hops < 32; hops++)
        {
            if (schema.ValueKind != JsonValueKind.Object || !schema.TryGetProperty("$ref", out var reference))
            {
                return schema;
            }

            var pointer = reference.GetString() ?? string.Empty;
            if (!pointer.StartsWith("#/", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"Only local $ref values are supported: {pointer}");
            }

            var target = document.RootElement;
            foreach (var segment in pointer[2..].Split('/'))
            {
                var name = Uri.UnescapeDataString(segment).Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
                if (!target.TryGetProperty(name, out target))
                {
                    throw new InvalidOperationException($"Unresolvable $ref: {pointer}");
                }
            }

            schema = target;
        }

        throw new InvalidOperationException("$ref chain too long");
    }

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+$")]
    private static partial Regex EmailPattern();
}
