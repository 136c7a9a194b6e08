using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ClientBridge.Protocol.Generators;

/// <summary>
/// For every class marked <c>[MessagePackObject]</c>, writes a nested formatter into the hand-written partial class
/// <c>ClientBridge.Protocol.BridgeWire</c>, and a property on it that hands the formatter out. Members travel as a
/// MessagePack array indexed by their <c>[Key(n)]</c>, so that a newer peer can append members and an older one
/// skips them. A member of a type this generator does not know fails the build (CBW001) rather than the wire.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class FormatterGenerator : IIncrementalGenerator
{
    private const string ObjectAttribute = "MessagePack.MessagePackObjectAttribute";
    private const string KeyAttribute = "MessagePack.KeyAttribute";
    private const string WireClass = "ClientBridge.Protocol.BridgeWire";

    private static readonly DiagnosticDescriptor UnsupportedMember = new(
        "CBW001",
        "Member type not supported on the bridge",
        "'{0}.{1}' is a {2}; the bridge's formatter generator writes strings, int, long, bool, double, DateTime, DateTimeOffset, enums, [MessagePackObject] classes and List<T> of these",
        "ClientBridge.Wire",
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    private static readonly DiagnosticDescriptor MissingKey = new(
        "CBW002",
        "Message member without a key",
        "'{0}.{1}' has no [Key(n)]; every public settable member of a message needs one, or [IgnoreMember]",
        "ClientBridge.Wire",
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<TypeModel> types = context.SyntaxProvider.ForAttributeWithMetadataName(
            ObjectAttribute,
            static (node, _) => node is ClassDeclarationSyntax,
            static (ctx, _) => Describe((INamedTypeSymbol)ctx.TargetSymbol));

        context.RegisterSourceOutput(types.Collect(), static (spc, all) => Emit(spc, all));
    }

    private static TypeModel Describe(INamedTypeSymbol type)
    {
        var members = new List<MemberModel>();
        var problems = new List<Problem>();
        foreach (IPropertySymbol property in type.GetMembers().OfType<IPropertySymbol>())
        {
            if (property.IsStatic || property.DeclaredAccessibility != Accessibility.Public || property.SetMethod is null || property.GetMethod is null)
            {
                continue;
            }

            AttributeData? key = property.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == KeyAttribute);
            if (key is null)
            {
                if (!property.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == "MessagePack.IgnoreMemberAttribute"))
                {
                    problems.Add(new Problem(MissingKey, property.Name, string.Empty, property.Locations.FirstOrDefault()));
                }

                continue;
            }

            if (key.ConstructorArguments.Length != 1 || key.ConstructorArguments[0].Value is not int index)
            {
                problems.Add(new Problem(MissingKey, property.Name, string.Empty, property.Locations.FirstOrDefault()));
                continue;
            }

            ValueModel? value = DescribeValue(property.Type);
            if (value is null)
            {
                problems.Add(new Problem(UnsupportedMember, property.Name, property.Type.ToDisplayString(), property.Locations.FirstOrDefault()));
                continue;
            }

            members.Add(new MemberModel(index, property.Name, value));
        }

        return new TypeModel(
            type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
            type.Name,
            members.OrderBy(m => m.Key).ToImmutableArray(),
            problems.ToImmutableArray());
    }

    /// <summary>How one value is written and read; null for a type the generator does not handle.</summary>
    private static ValueModel? DescribeValue(ITypeSymbol type)
    {
        bool canBeNull = type.NullableAnnotation == NullableAnnotation.Annotated;
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
        {
            ValueModel? inner = DescribeValue(nullable.TypeArguments[0]);
            return inner is null || inner.Kind is ValueKind.List or ValueKind.Message ? null : inner with { IsNullableValue = true };
        }

        string name = type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        switch (type.SpecialType)
        {
            case SpecialType.System_String:
                return new ValueModel(ValueKind.String, name, canBeNull, false, null);
            case SpecialType.System_Int32:
                return new ValueModel(ValueKind.Int32, name, false, false, null);
            case SpecialType.System_Int64:
                return new ValueModel(ValueKind.Int64, name, false, false, null);
            case SpecialType.System_Boolean:
                return new ValueModel(ValueKind.Boolean, name, false, false, null);
            case SpecialType.System_Double:
                return new ValueModel(ValueKind.Double, name, false, false, null);
            case SpecialType.System_DateTime:
                return new ValueModel(ValueKind.DateTime, name, false, false, null);
        }

        if (name == "global::System.DateTimeOffset")
        {
            return new ValueModel(ValueKind.DateTimeOffset, name, false, false, null);
        }

        if (type.TypeKind == TypeKind.Enum && type is INamedTypeSymbol { EnumUnderlyingType.SpecialType: SpecialType.System_Int32 })
        {
            return new ValueModel(ValueKind.Enum, name, false, false, null);
        }

        if (type is INamedTypeSymbol named)
        {
            if (named.OriginalDefinition.ToDisplayString() == "System.Collections.Generic.List<T>")
            {
                ValueModel? element = DescribeValue(named.TypeArguments[0]);
                return element is null || element.Kind == ValueKind.List || element.IsNullableValue
                    ? null
                    : new ValueModel(ValueKind.List, name, canBeNull, false, element);
            }

            if (named.TypeKind == TypeKind.Class && named.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == ObjectAttribute))
            {
                return new ValueModel(ValueKind.Message, name, canBeNull, false, null);
            }
        }

        return null;
    }

    private static void Emit(SourceProductionContext context, ImmutableArray<TypeModel> types)
    {
        foreach (TypeModel type in types)
        {
            foreach (Problem problem in type.Problems)
            {
                context.ReportDiagnostic(Diagnostic.Create(problem.Descriptor, problem.Location, type.Name, problem.Member, problem.Detail));
            }
        }

        if (types.IsDefaultOrEmpty)
        {
            return;
        }

        var source = new StringBuilder();
        source.AppendLine("// <auto-generated/> by ClientBridge.Protocol.Generators.FormatterGenerator");
        source.AppendLine("#nullable disable");
        source.AppendLine("namespace ClientBridge.Protocol");
        source.AppendLine("{");
        source.AppendLine("    public sealed partial class BridgeWire");
        source.AppendLine("    {");
        foreach (TypeModel type in types.OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            source.AppendLine($"        /// <summary>Writes and reads <see cref=\"{type.FullName}\"/> on the bridge.</summary>");
            source.AppendLine($"        public global::MessagePack.Formatters.IMessagePackFormatter<{type.FullName}> {type.Name} => {type.Name}Formatter.Instance;");
            source.AppendLine();
        }

        source.AppendLine("        private static partial global::MessagePack.Formatters.IMessagePackFormatter FindFormatter(global::System.Type type)");
        source.AppendLine("        {");
        foreach (TypeModel type in types.OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            source.AppendLine($"            if (type == typeof({type.FullName})) return {type.Name}Formatter.Instance;");
        }

        source.AppendLine("            return null;");
        source.AppendLine("        }");
        foreach (TypeModel type in types.OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            EmitFormatter(source, type);
        }

        source.AppendLine("    }");
        source.AppendLine("}");
        context.AddSource("BridgeWire.Formatters.g.cs", source.ToString());
    }

    private static void EmitFormatter(StringBuilder s, TypeModel type)
    {
        int length = type.Members.Length == 0 ? 0 : type.Members[type.Members.Length - 1].Key + 1;
        const string W = "global::ClientBridge.Protocol.Wire.WireValues";
        s.AppendLine();
        s.AppendLine($"        private sealed class {type.Name}Formatter : global::MessagePack.Formatters.IMessagePackFormatter<{type.FullName}>");
        s.AppendLine("        {");
        s.AppendLine($"            public static readonly {type.Name}Formatter Instance = new {type.Name}Formatter();");
        s.AppendLine();
        s.AppendLine($"            public void Serialize(ref global::MessagePack.MessagePackWriter writer, {type.FullName} value, global::MessagePack.MessagePackSerializerOptions options)");
        s.AppendLine("            {");
        s.AppendLine("                if (value == null) { writer.WriteNil(); return; }");
        s.AppendLine($"                writer.WriteArrayHeader({length});");
        int next = 0;
        foreach (MemberModel member in type.Members)
        {
            for (; next < member.Key; next++)
            {
                s.AppendLine("                writer.WriteNil();");
            }

            s.AppendLine("                " + WriteStatement(member.Value, "value." + member.Name, "writer", 0) );
            next = member.Key + 1;
        }

        s.AppendLine("            }");
        s.AppendLine();
        s.AppendLine($"            public {type.FullName} Deserialize(ref global::MessagePack.MessagePackReader reader, global::MessagePack.MessagePackSerializerOptions options)");
        s.AppendLine("            {");
        s.AppendLine("                if (reader.TryReadNil()) return null;");
        s.AppendLine("                options.Security.DepthStep(ref reader);");
        s.AppendLine("                try");
        s.AppendLine("                {");
        s.AppendLine($"                    var result = new {type.FullName}();");
        s.AppendLine("                    int count = reader.ReadArrayHeader();");
        s.AppendLine("                    for (int i = 0; i < count; i++)");
        s.AppendLine("                    {");
        s.AppendLine("                        switch (i)");
        s.AppendLine("                        {");
        foreach (MemberModel member in type.Members)
        {
            s.AppendLine($"                            case {member.Key}:");
            s.AppendLine($"                                {{ {ReadStatement(member.Value, "result." + member.Name, 0)} }}");
            s.AppendLine("                                break;");
        }

        s.AppendLine("                            default:");
        s.AppendLine($"                                {W}.SkipUnknown(ref reader);");
        s.AppendLine("                                break;");
        s.AppendLine("                        }");
        s.AppendLine("                    }");
        s.AppendLine();
        s.AppendLine("                    return result;");
        s.AppendLine("                }");
        s.AppendLine("                finally");
        s.AppendLine("                {");
        s.AppendLine("                    reader.Depth--;");
        s.AppendLine("                }");
        s.AppendLine("            }");
        s.AppendLine("        }");
    }

    private static string WriteStatement(ValueModel value, string expression, string writer, int depth)
    {
        const string W = "global::ClientBridge.Protocol.Wire.WireValues";
        if (value.IsNullableValue)
        {
            return $"if ({expression}.HasValue) {{ {WriteStatement(value with { IsNullableValue = false }, expression + ".Value", writer, depth)} }} else {{ {writer}.WriteNil(); }}";
        }

        switch (value.Kind)
        {
            case ValueKind.String:
            case ValueKind.Int32:
            case ValueKind.Int64:
            case ValueKind.Boolean:
            case ValueKind.Double:
                return $"{writer}.Write({expression});";
            case ValueKind.Enum:
                return $"{writer}.Write((int){expression});";
            case ValueKind.DateTime:
                return $"{W}.WriteDateTime(ref {writer}, {expression});";
            case ValueKind.DateTimeOffset:
                return $"{W}.WriteDateTimeOffset(ref {writer}, {expression});";
            case ValueKind.Message:
                return $"{FormatterOf(value)}.Serialize(ref {writer}, {expression}, options);";
            case ValueKind.List:
                string list = "list" + depth;
                string item = "item" + depth;
                return $"{{ var {list} = {expression}; if ({list} == null) {{ {writer}.WriteNil(); }} else {{ {writer}.WriteArrayHeader({list}.Count); foreach (var {item} in {list}) {{ {WriteStatement(value.Element!, item, writer, depth + 1)} }} }} }}";
            default:
                throw new InvalidOperationException(value.Kind.ToString());
        }
    }

    /// <summary>A statement that reads one value into <paramref name="target"/> (an assignable expression).</summary>
    private static string ReadStatement(ValueModel value, string target, int depth)
    {
        if (value.IsNullableValue)
        {
            return $"if (reader.TryReadNil()) {{ {target} = null; }} else {{ {ReadStatement(value with { IsNullableValue = false }, target, depth)} }}";
        }

        if (value.Kind == ValueKind.List)
        {
            string list = "list" + depth;
            string n = "n" + depth;
            string i = "i" + depth;
            string item = "item" + depth;
            string whenNil = value.CanBeNull ? "null" : $"new {value.TypeName}()";
            return $"if (reader.TryReadNil()) {{ {target} = {whenNil}; }} else {{ int {n} = reader.ReadArrayHeader(); var {list} = new {value.TypeName}(global::System.Math.Min({n}, global::ClientBridge.Protocol.Wire.WireValues.InitialListCapacity)); "
                + $"for (int {i} = 0; {i} < {n}; {i}++) {{ {ElementType(value.Element!)} {item}; {ReadStatement(value.Element!, item, depth + 1)} {list}.Add({item}); }} {target} = {list}; }}";
        }

        return $"{target} = {ReadExpression(value)};";
    }

    private static string ElementType(ValueModel value) => value.TypeName;

    /// <summary>The nested formatter of a message type: every message's formatter is named after the type's simple name.</summary>
    private static string FormatterOf(ValueModel value) => value.TypeName.Substring(value.TypeName.LastIndexOf('.') + 1) + "Formatter.Instance";

    private static string ReadExpression(ValueModel value)
    {
        const string W = "global::ClientBridge.Protocol.Wire.WireValues";
        return value.Kind switch
        {
            ValueKind.String => value.CanBeNull ? "reader.ReadString()" : "reader.ReadString() ?? string.Empty",
            ValueKind.Int32 => "reader.ReadInt32()",
            ValueKind.Int64 => "reader.ReadInt64()",
            ValueKind.Boolean => "reader.ReadBoolean()",
            ValueKind.Double => "reader.ReadDouble()",
            ValueKind.Enum => $"({value.TypeName})reader.ReadInt32()",
            ValueKind.DateTime => $"{W}.ReadDateTime(ref reader)",
            ValueKind.DateTimeOffset => $"{W}.ReadDateTimeOffset(ref reader)",
            ValueKind.Message => value.CanBeNull
                ? $"{FormatterOf(value)}.Deserialize(ref reader, options)"
                : $"{W}.Required({FormatterOf(value)}.Deserialize(ref reader, options))",
            _ => throw new InvalidOperationException(value.Kind.ToString()),
        };
    }

    private enum ValueKind
    {
        String,
        Int32,
        Int64,
        Boolean,
        Double,
        DateTime,
        DateTimeOffset,
        Enum,
        Message,
        List,
    }

    private sealed record ValueModel(ValueKind Kind, string TypeName, bool CanBeNull, bool IsNullableValue, ValueModel? Element);

    private sealed record MemberModel(int Key, string Name, ValueModel Value);

    private sealed record Problem(DiagnosticDescriptor Descriptor, string Member, string Detail, Location? Location);

    /// <summary>One message class; compared by its text so that the incremental pipeline can skip unchanged types.</summary>
    private sealed class TypeModel : IEquatable<TypeModel>
    {
        public TypeModel(string fullName, string name, ImmutableArray<MemberModel> members, ImmutableArray<Problem> problems)
        {
            FullName = fullName;
            Name = name;
            Members = members;
            Problems = problems;
            Signature = fullName + "|" + string.Join(";", members.Select(m => $"{m.Key}:{m.Name}:{m.Value}")) + "|" + string.Join(";", problems.Select(p => p.Descriptor.Id + p.Member));
        }

        public string FullName { get; }

        public string Name { get; }

        public ImmutableArray<MemberModel> Members { get; }

        public ImmutableArray<Problem> Problems { get; }

        private string Signature { get; }

        public bool Equals(TypeModel? other) => other is not null && other.Signature == Signature;

        public override bool Equals(object? obj) => Equals(obj as TypeModel);

        public override int GetHashCode() => Signature.GetHashCode();
    }
}
