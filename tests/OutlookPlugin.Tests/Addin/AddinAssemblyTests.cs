using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Xml.Linq;
using OutlookPlugin.Core.Addin;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using OutlookPlugin.Core.ObjectModel;

namespace OutlookPlugin.Tests.Addin;

/// <summary>
/// The built net472 add-in, read as metadata (it cannot run here): the registration facts the installer writes,
/// and the ribbon callbacks Office will look up by name.
/// </summary>
[TestClass]
public sealed class AddinAssemblyTests
{
    [TestMethod]
    public void The_built_add_in_declares_its_COM_identity()
    {
        AddinFacts facts = AddinFacts.Read();

        Assert.AreEqual("OutlookPlugin.Connect", facts.ClassName);
        Assert.AreEqual("{5C7A2B9E-4F31-4E8D-A6C2-9B1D3E7F0A54}", facts.ClassId);
        Assert.AreEqual("ClientBridge.OutlookAddin", facts.ProgId);
        Assert.IsTrue(facts.ComVisible);
        StringAssert.StartsWith(facts.AssemblyFullName, "OutlookPlugin, Version=");
        Assert.AreEqual("v4.0.30319", facts.RuntimeVersion);
        CollectionAssert.Contains(facts.Interfaces.ToList(), "OutlookPlugin.Interop.IDTExtensibility2");
        CollectionAssert.Contains(facts.Interfaces.ToList(), "OutlookPlugin.Interop.IRibbonExtensibility");
    }

    [TestMethod]
    public void Every_ribbon_callback_in_the_XML_is_a_public_method_of_the_COM_class()
    {
        AddinFacts facts = AddinFacts.Read();
        foreach (string ribbonId in new[] { OutlookIds.Addin.RibbonExplorer, OutlookIds.Addin.RibbonAppointment })
        {
            XDocument xml = XDocument.Parse(RibbonController.GetCustomUI(ribbonId)!);
            IEnumerable<string> named = xml.Descendants().SelectMany(e => e.Attributes())
                .Where(a => a.Name.LocalName is "onAction" or "getEnabled" or "getVisible" or "getImage" or "onLoad")
                .Select(a => a.Value);
            foreach (string callback in named)
            {
                CollectionAssert.Contains(facts.PublicMethods.ToList(), callback, $"{callback} is named in the {ribbonId} ribbon");
                CollectionAssert.Contains(RibbonController.Callbacks.ToList(), callback);
            }
        }
    }

    [TestMethod]
    public void The_ribbon_XML_uses_the_2009_namespace_unique_ids_and_Outlooks_tabs()
    {
        XDocument inspector = XDocument.Parse(RibbonController.GetCustomUI("Microsoft.Outlook.Appointment")!);
        XDocument explorer = XDocument.Parse(RibbonController.GetCustomUI("Microsoft.Outlook.Explorer")!);
        Assert.IsNull(RibbonController.GetCustomUI("Microsoft.Outlook.Mail.Read"));
        foreach (XDocument xml in new[] { inspector, explorer })
        {
            Assert.AreEqual("http://schemas.microsoft.com/office/2009/07/customui", xml.Root!.Name.NamespaceName);
            List<string> ids = xml.Descendants().Select(e => (string?)e.Attribute("id")).OfType<string>().ToList();
            Assert.HasCount(ids.Distinct().Count(), ids);
        }

        Assert.AreEqual("TabAppointment", (string?)inspector.Descendants().Single(e => e.Name.LocalName == "tab").Attribute("idMso"));
        Assert.AreEqual("TabCalendar", (string?)explorer.Descendants().Single(e => e.Name.LocalName == "tab").Attribute("idMso"));
    }
}

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
        };
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
