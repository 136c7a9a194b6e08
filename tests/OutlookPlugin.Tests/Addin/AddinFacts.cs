using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace OutlookPlugin.Tests.Addin;

/// <summary>What the installer needs to register the add-in, read from the built assembly's metadata.</summary>
internal sealed class AddinFacts
{
    public string ClassName { get; private init; } = string.Empty;

    public string ClassId { get; private init; } = string.Empty;

    public string ProgId { get; private init; } = string.Empty;

    public bool ComVisible { get; private init; }

    public string AssemblyFullName { get; private init; } = string.Empty;

    public string RuntimeVersion { get; private init; } = string.Empty;

    public IReadOnlyList<string> Interfaces { get; private init; } = [];

    public IReadOnlyList<string> PublicMethods { get; private init; } = [];

    /// <summary>The name Outlook's COM Add-ins dialog shows (AddinRegistration.FriendlyName).</summary>
    public string FriendlyName { get; private init; } = string.Empty;

    /// <summary>The description beside it (AddinRegistration.Description).</summary>
    public string Description { get; private init; } = string.Empty;

    public static string AssemblyPath()
    {
        string root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Plugin.sln")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("Plugin.sln not found above the test folder.");
        }

#if DEBUG
        const string configuration = "Debug";
#else
        const string configuration = "Release";
#endif
        return Path.Combine(root, "OutlookPlugin", "OutlookPlugin", "bin", configuration, "net472", "OutlookPlugin.dll");
    }

    public static AddinFacts Read()
    {
        using FileStream file = File.OpenRead(AssemblyPath());
        using var pe = new PEReader(file);
        MetadataReader md = pe.GetMetadataReader();
        TypeDefinition connect = md.TypeDefinitions.Select(md.GetTypeDefinition)
            .Single(t => md.GetString(t.Name) == "Connect" && md.GetString(t.Namespace) == "OutlookPlugin");
        Dictionary<string, string?> attributes = connect.GetCustomAttributes().Select(md.GetCustomAttribute)
            .ToDictionary(a => AttributeName(md, a), a => FirstStringArgument(md, a));
        TypeDefinition registration = md.TypeDefinitions.Select(md.GetTypeDefinition)
            .Single(t => md.GetString(t.Name) == "AddinRegistration" && md.GetString(t.Namespace) == "OutlookPlugin");
        Dictionary<string, string> constants = registration.GetFields().Select(md.GetFieldDefinition)
            .Where(f => !f.GetDefaultValue().IsNil)
            .ToDictionary(f => md.GetString(f.Name), f => ConstantText(md, f));
        AssemblyDefinition assembly = md.GetAssemblyDefinition();
        byte[] key = md.GetBlobBytes(assembly.PublicKey);
#pragma warning disable CA5350 // The public key token is defined as the tail of the key's SHA-1; nothing is protected by it.
        string token = key.Length == 0 ? "null" : Convert.ToHexStringLower(System.Security.Cryptography.SHA1.HashData(key).Reverse().Take(8).ToArray());
#pragma warning restore CA5350
        return new AddinFacts
        {
            ClassName = md.GetString(connect.Namespace) + "." + md.GetString(connect.Name),
            ClassId = "{" + attributes["GuidAttribute"]!.ToUpperInvariant() + "}",
            ProgId = attributes["ProgIdAttribute"]!,
            ComVisible = attributes.ContainsKey("ComVisibleAttribute"),
            AssemblyFullName = $"{md.GetString(assembly.Name)}, Version={assembly.Version}, Culture=neutral, PublicKeyToken={token}",
            RuntimeVersion = md.MetadataVersion,
            Interfaces = connect.GetInterfaceImplementations().Select(i => TypeName(md, md.GetInterfaceImplementation(i).Interface)).ToList(),
            PublicMethods = connect.GetMethods().Select(md.GetMethodDefinition)
                .Where(m => (m.Attributes & System.Reflection.MethodAttributes.Public) != 0).Select(m => md.GetString(m.Name)).ToList(),
            FriendlyName = constants["FriendlyName"],
            Description = constants["Description"],
        };
    }

    /// <summary>A string constant's value as the compiler stored it (UTF-16 in the Constant table).</summary>
    private static string ConstantText(MetadataReader md, FieldDefinition field)
    {
        BlobReader blob = md.GetBlobReader(md.GetConstant(field.GetDefaultValue()).Value);
        return blob.ReadUTF16(blob.Length);
    }

    private static string AttributeName(MetadataReader md, CustomAttribute attribute) => attribute.Constructor.Kind switch
    {
        HandleKind.MemberReference => TypeName(md, md.GetMemberReference((MemberReferenceHandle)attribute.Constructor).Parent).Split('.').Last(),
        HandleKind.MethodDefinition => md.GetString(md.GetTypeDefinition(md.GetMethodDefinition((MethodDefinitionHandle)attribute.Constructor).GetDeclaringType()).Name),
        _ => string.Empty,
    };

    private static string TypeName(MetadataReader md, EntityHandle handle) => handle.Kind switch
    {
        HandleKind.TypeReference => md.GetString(md.GetTypeReference((TypeReferenceHandle)handle).Namespace) + "." + md.GetString(md.GetTypeReference((TypeReferenceHandle)handle).Name),
        HandleKind.TypeDefinition => md.GetString(md.GetTypeDefinition((TypeDefinitionHandle)handle).Namespace) + "." + md.GetString(md.GetTypeDefinition((TypeDefinitionHandle)handle).Name),
        _ => string.Empty,
    };

    private static string? FirstStringArgument(MetadataReader md, CustomAttribute attribute)
    {
        BlobReader blob = md.GetBlobReader(attribute.Value);
        if (blob.Length < 4 || blob.ReadUInt16() != 1)
        {
            return null;
        }

        try
        {
            return blob.RemainingBytes > 2 ? blob.ReadSerializedString() : null;
        }
        catch (BadImageFormatException)
        {
            return null;
        }
    }
}
