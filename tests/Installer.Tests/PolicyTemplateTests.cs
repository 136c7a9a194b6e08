using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using ClientBridge.Policies;
using ClientBridge.Providers;
using ClientBridge.Providers.Zoom;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using OutlookPlugin.Tests.Addin;

namespace Installer.Tests;

/// <summary>
/// The Group Policy templates (Installer/Policies) against what the agent really reads
/// (<see cref="PolicyValues.All"/>) and what the add-in really registers (its ProgID, read from the built DLL).
/// Every check collects all its findings, so one run names everything that is missing.
/// </summary>
[TestClass]
public sealed partial class PolicyTemplateTests
{
    private const string AddinListKey = @"Software\Policies\Microsoft\Office\16.0\Outlook\Resiliency\AddinList";

    private static readonly XNamespace Pd = "http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions";

    private static readonly Lazy<string> Root = new(FindRoot);

    private static string AdmxPath => Path.Combine(Root.Value, "Installer", "Policies", "ClientBridge.admx");

    private static string AdmlPath => Path.Combine(Root.Value, "Installer", "Policies", "en-US", "ClientBridge.adml");

    [TestMethod]
    public void Both_templates_are_well_formed_and_in_the_policy_definitions_namespace()
    {
        var problems = new List<string>();
        foreach ((string path, string rootName) in new[] { (AdmxPath, "policyDefinitions"), (AdmlPath, "policyDefinitionResources") })
        {
            XDocument document;
            try
            {
                document = XDocument.Load(path, LoadOptions.SetLineInfo);
            }
            catch (XmlException e)
            {
                problems.Add($"{Path.GetFileName(path)} is not well-formed XML: {e.Message}");
                continue;
            }

            XElement root = document.Root!;
            if (root.Name != Pd + rootName)
            {
                problems.Add($"{Path.GetFileName(path)}: root is {root.Name}, expected {Pd + rootName}");
            }

            foreach ((string attribute, string expected) in new[] { ("revision", "1.0"), ("schemaVersion", "1.0") })
            {
                if ((string?)root.Attribute(attribute) != expected)
                {
                    problems.Add($"{Path.GetFileName(path)}: {attribute}=\"{(string?)root.Attribute(attribute)}\", expected \"{expected}\"");
                }
            }

            problems.AddRange(document.Descendants().Where(e => e.Name.Namespace != Pd)
                .Select(e => $"{Path.GetFileName(path)} line {((IXmlLineInfo)e).LineNumber}: <{e.Name.LocalName}> is in namespace '{e.Name.NamespaceName}', not the policy definitions namespace"));
        }

        Assert.IsEmpty(problems, string.Join(Environment.NewLine, problems));
    }

    [TestMethod]
    public void Every_string_the_admx_names_is_defined_once_in_the_adml()
    {
        XDocument admx = Admx();
        List<string> defined = [.. Adml().Descendants(Pd + "stringTable").Elements(Pd + "string").Select(s => (string)s.Attribute("id")!)];

        string[] twice = [.. defined.GroupBy(id => id, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key)];
        Assert.IsEmpty(twice, "String ids defined more than once in ClientBridge.adml: " + string.Join(", ", twice));

        string[] missing = [.. References(admx, "string").Except(defined, StringComparer.Ordinal)];
        Assert.IsEmpty(missing, "ClientBridge.admx names strings that ClientBridge.adml does not define: " + string.Join(", ", missing));
    }

    [TestMethod]
    public void Every_presentation_the_admx_names_exists_with_a_control_for_each_element()
    {
        XDocument admx = Admx();
        List<XElement> presentations = [.. Adml().Descendants(Pd + "presentationTable").Elements(Pd + "presentation")];
        var problems = new List<string>();

        problems.AddRange(presentations.GroupBy(p => (string)p.Attribute("id")!, StringComparer.Ordinal).Where(g => g.Count() > 1)
            .Select(g => $"presentation '{g.Key}' is defined more than once in ClientBridge.adml"));

        foreach (XElement policy in Policies(admx))
        {
            string name = (string)policy.Attribute("name")!;
            string[] elementIds = [.. policy.Elements(Pd + "elements").Elements().Select(e => (string)e.Attribute("id")!)];
            string? reference = (string?)policy.Attribute("presentation");
            if (reference is null)
            {
                if (elementIds.Length > 0)
                {
                    problems.Add($"policy {name} has elements ({string.Join(", ", elementIds)}) but no presentation to show them");
                }

                continue;
            }

            Match match = ResourceReference().Match(reference);
            if (!match.Success || match.Groups["kind"].Value != "presentation")
            {
                problems.Add($"policy {name}: presentation=\"{reference}\" is not a $(presentation.X) reference");
                continue;
            }

            string id = match.Groups["id"].Value;
            XElement? presentation = presentations.FirstOrDefault(p => (string?)p.Attribute("id") == id);
            if (presentation is null)
            {
                problems.Add($"policy {name}: presentation '{id}' is missing from ClientBridge.adml");
                continue;
            }

            string[] refIds = [.. presentation.Elements().Select(c => (string?)c.Attribute("refId")).OfType<string>()];
            problems.AddRange(elementIds.Except(refIds, StringComparer.Ordinal).Select(e => $"policy {name}: presentation '{id}' has no control for element '{e}'"));
            problems.AddRange(refIds.Except(elementIds, StringComparer.Ordinal).Select(r => $"policy {name}: presentation '{id}' has a control for '{r}', which is not an element of the policy"));
        }

        Assert.IsEmpty(problems, string.Join(Environment.NewLine, problems));
    }

    [TestMethod]
    public void Every_policy_the_agent_reads_is_in_the_admx_with_its_kind()
    {
        List<WrittenValue> written = Written(Admx());
        var problems = new List<string>();

        foreach (PolicyDefinition definition in PolicyValues.All)
        {
            WrittenValue[] found = [.. written.Where(w => w.Key == PolicyValues.KeyPath && w.ValueName == definition.Name)];
            if (found.Length != 1)
            {
                problems.Add(found.Length == 0
                    ? $"{definition.Name} ({definition.Kind}): no policy in ClientBridge.admx writes it under {PolicyValues.KeyPath}"
                    : $"{definition.Name}: written by {found.Length} policies ({string.Join(", ", found.Select(f => f.PolicyName))}); expected one");
                continue;
            }

            WrittenValue value = found[0];
            string where = $"{definition.Name} (policy {value.PolicyName})";
            if ((string?)value.Policy.Attribute("class") != "Both")
            {
                problems.Add($"{where}: class=\"{(string?)value.Policy.Attribute("class")}\", expected \"Both\" (the agent reads HKLM, then HKCU)");
            }

            string? kindProblem = definition.Kind switch
            {
                PolicyKind.Switch => SwitchProblem(value),
                PolicyKind.Number => NumberProblem(value, definition.Min, definition.Max),
                PolicyKind.Text => value.Element?.Name.LocalName is "text" or "enum" ? null : $"is written by {Describe(value)}, expected a <text> or <enum> element (REG_SZ)",
                PolicyKind.TextList => value.Element?.Name.LocalName == "multiText" ? null : $"is written by {Describe(value)}, expected a <multiText> element (REG_MULTI_SZ)",
                _ => $"has kind {definition.Kind}, which this test does not know",
            };
            if (kindProblem is not null)
            {
                problems.Add($"{where} {kindProblem}");
            }
        }

        Assert.IsEmpty(problems, string.Join(Environment.NewLine, problems));
    }

    [TestMethod]
    public void Every_value_the_admx_writes_is_read_by_the_agent_or_by_outlook()
    {
        HashSet<string> read = [.. PolicyValues.All.Select(p => p.Name)];
        var problems = new List<string>();

        foreach (WrittenValue value in Written(Admx()))
        {
            if (value.Key == PolicyValues.KeyPath)
            {
                if (value.ValueName is null || !read.Contains(value.ValueName))
                {
                    problems.Add($"policy {value.PolicyName} writes '{value.ValueName}' under {PolicyValues.KeyPath}, which is not in PolicyValues.All (the agent does not read it)");
                }
            }
            else if (value.Key != AddinListKey)
            {
                problems.Add($"policy {value.PolicyName} writes under {value.Key}, which neither the agent ({PolicyValues.KeyPath}) nor Outlook's managed add-ins list ({AddinListKey}) is");
            }
        }

        Assert.IsEmpty(problems, string.Join(Environment.NewLine, problems));
    }

    [TestMethod]
    public void The_outlook_policy_marks_the_built_addin_always_enabled()
    {
        string progId = AddinFacts.Read().ProgId;
        XElement[] policies = [.. Policies(Admx()).Where(p => (string?)p.Attribute("key") == AddinListKey)];
        Assert.HasCount(1, policies, $"Expected one policy writing Outlook's managed add-ins list ({AddinListKey}) in ClientBridge.admx");

        XElement policy = policies[0];
        var problems = new List<string>();
        if ((string?)policy.Attribute("valueName") != progId)
        {
            problems.Add($"valueName=\"{(string?)policy.Attribute("valueName")}\", expected the add-in's ProgID \"{progId}\" (read from OutlookPlugin.dll)");
        }

        if ((string?)policy.Attribute("class") != "User")
        {
            problems.Add($"class=\"{(string?)policy.Attribute("class")}\", expected \"User\" (Outlook reads the list from HKCU)");
        }

        string? enabled = policy.Element(Pd + "enabledValue")?.Element(Pd + "string")?.Value;
        if (enabled != "1")
        {
            problems.Add($"enabledValue is {Show(policy.Element(Pd + "enabledValue"))}, expected <string>1</string> (always enabled)");
        }

        if (policy.Element(Pd + "disabledValue")?.Element(Pd + "delete") is null)
        {
            problems.Add($"disabledValue is {Show(policy.Element(Pd + "disabledValue"))}, expected <delete /> (off the managed list)");
        }

        Assert.IsEmpty(problems, $"Policy {(string?)policy.Attribute("name")}: " + string.Join("; ", problems));
    }

    [TestMethod]
    public void Every_policy_is_supported_on_a_defined_version_not_newer_than_the_product()
    {
        XDocument admx = Admx();
        Version product = ProductVersion();
        Dictionary<string, string> strings = Adml().Descendants(Pd + "string").GroupBy(s => (string)s.Attribute("id")!)
            .ToDictionary(g => g.Key, g => g.First().Value, StringComparer.Ordinal);
        var definitions = new Dictionary<string, Version>(StringComparer.Ordinal);
        var problems = new List<string>();

        foreach (XElement definition in admx.Descendants(Pd + "supportedOn").Elements(Pd + "definitions").Elements(Pd + "definition"))
        {
            string name = (string)definition.Attribute("name")!;
            Match version = SupportedVersion().Match(name);
            if (!version.Success)
            {
                problems.Add($"supportedOn definition '{name}' does not end in a version such as _0_1");
                continue;
            }

            // SUPPORTED_ClientBridge_0_1 is 0.1; a lone major number (_1) is 1.0, as Version cannot parse "1".
            string digits = version.Groups["version"].Value.Replace('_', '.');
            var parsed = Version.Parse(digits.Contains('.', StringComparison.Ordinal) ? digits : digits + ".0");
            definitions[name] = parsed;
            if (parsed > product)
            {
                problems.Add($"supportedOn definition '{name}' is version {parsed}, newer than the product's {product} (Directory.Build.props)");
            }

            Match display = ResourceReference().Match((string?)definition.Attribute("displayName") ?? string.Empty);
            if (display.Success && strings.TryGetValue(display.Groups["id"].Value, out string? text)
                && !text.Contains(parsed.ToString(2), StringComparison.Ordinal))
            {
                problems.Add($"supportedOn definition '{name}' reads \"{text}\", which does not name version {parsed.ToString(2)}");
            }
        }

        foreach (XElement policy in Policies(admx))
        {
            string name = (string)policy.Attribute("name")!;
            string? reference = (string?)policy.Element(Pd + "supportedOn")?.Attribute("ref");
            if (reference is null)
            {
                problems.Add($"policy {name} has no <supportedOn ref=\"...\"/>");
            }
            else if (!definitions.ContainsKey(reference))
            {
                problems.Add($"policy {name} is supported on '{reference}', which ClientBridge.admx does not define");
            }
        }

        Assert.IsEmpty(problems, string.Join(Environment.NewLine, problems));
    }

    [TestMethod]
    public void Every_policy_sits_in_a_defined_category_under_ClientBridge()
    {
        XDocument admx = Admx();
        Dictionary<string, string?> parents = admx.Descendants(Pd + "category")
            .ToDictionary(c => (string)c.Attribute("name")!, c => (string?)c.Element(Pd + "parentCategory")?.Attribute("ref"), StringComparer.Ordinal);
        var problems = new List<string>();

        foreach (XElement policy in Policies(admx))
        {
            string name = (string)policy.Attribute("name")!;
            string? category = (string?)policy.Element(Pd + "parentCategory")?.Attribute("ref");
            var seen = new List<string>();
            while (category is not null && parents.TryGetValue(category, out string? parent) && !seen.Contains(category))
            {
                seen.Add(category);
                category = parent;
            }

            if (category is not null || seen.Count == 0 || seen[^1] != "ClientBridge")
            {
                problems.Add($"policy {name}: its category chain ({string.Join(" < ", seen.Append(category ?? "(none)"))}) does not end at the defined top-level category ClientBridge");
            }
        }

        Assert.IsEmpty(problems, string.Join(Environment.NewLine, problems));
    }

    [TestMethod]
    public void The_default_provider_choices_are_the_providers_the_agent_has()
    {
        XElement? choice = Policies(Admx()).SelectMany(p => p.Elements(Pd + "elements").Elements(Pd + "enum"))
            .FirstOrDefault(e => (string?)e.Attribute("valueName") == PolicyValues.DefaultProvider);
        Assert.IsNotNull(choice, $"No <enum> in ClientBridge.admx writes {PolicyValues.DefaultProvider}");

        string[] offered = [.. choice.Elements(Pd + "item").Select(i => i.Element(Pd + "value")?.Element(Pd + "string")?.Value ?? "(not a string)").Order(StringComparer.Ordinal)];
        string[] providers = [.. new[] { ZoomProvider.ProviderName, JitsiProvider.ProviderName }.Order(StringComparer.Ordinal)];
        CollectionAssert.AreEqual(providers, offered, $"{PolicyValues.DefaultProvider} offers [{string.Join(", ", offered)}]; the agent's providers are [{string.Join(", ", providers)}]");
    }

    private static string? SwitchProblem(WrittenValue value)
    {
        if (value.Element is not null)
        {
            return $"is written by {Describe(value)}, expected the policy's own value (enabledValue/disabledValue)";
        }

        string? on = (string?)value.Policy.Element(Pd + "enabledValue")?.Element(Pd + "decimal")?.Attribute("value");
        string? off = (string?)value.Policy.Element(Pd + "disabledValue")?.Element(Pd + "decimal")?.Attribute("value");
        return on == "1" && off == "0"
            ? null
            : $"writes enabled {Show(value.Policy.Element(Pd + "enabledValue"))} and disabled {Show(value.Policy.Element(Pd + "disabledValue"))}, expected decimal 1 and decimal 0";
    }

    private static string? NumberProblem(WrittenValue value, int min, int max)
    {
        if (value.Element?.Name.LocalName != "decimal")
        {
            return $"is written by {Describe(value)}, expected a <decimal> element (DWORD)";
        }

        string? low = (string?)value.Element.Attribute("minValue");
        string? high = (string?)value.Element.Attribute("maxValue");
        if (low != min.ToString(CultureInfo.InvariantCulture) || high != max.ToString(CultureInfo.InvariantCulture))
        {
            return $"allows {low ?? "(no minValue)"}..{high ?? "(no maxValue)"}, the agent accepts {min}..{max}";
        }

        return (string?)value.Element.Attribute("storeAsText") == "true" ? "stores the number as text, the agent reads a DWORD" : null;
    }

    private static string Describe(WrittenValue value) =>
        value.Element is null ? "the policy's own enabledValue/disabledValue" : $"a <{value.Element.Name.LocalName}> element";

    private static string Show(XElement? element) =>
        element is null ? "(absent)" : string.Concat(element.Nodes().Select(n => n.ToString(SaveOptions.DisableFormatting)));

    /// <summary>Each registry value a policy writes: its own valueName, and each element's (an element may name its own key).</summary>
    private static List<WrittenValue> Written(XDocument admx)
    {
        var written = new List<WrittenValue>();
        foreach (XElement policy in Policies(admx))
        {
            string name = (string)policy.Attribute("name")!;
            string key = (string?)policy.Attribute("key") ?? string.Empty;
            string? valueName = (string?)policy.Attribute("valueName");
            if (valueName is not null)
            {
                written.Add(new(name, policy, null, key, valueName));
            }

            foreach (XElement element in policy.Elements(Pd + "elements").Elements())
            {
                written.Add(new(name, policy, element, (string?)element.Attribute("key") ?? key, (string?)element.Attribute("valueName")));
            }

            if (valueName is null && !policy.Elements(Pd + "elements").Elements().Any())
            {
                written.Add(new(name, policy, null, key, null));
            }
        }

        return written;
    }

    private static IEnumerable<XElement> Policies(XDocument admx) => admx.Descendants(Pd + "policies").Elements(Pd + "policy");

    /// <summary>The ids of every <c>$(kind.id)</c> an attribute of the document names.</summary>
    private static IEnumerable<string> References(XDocument document, string kind) =>
        document.Descendants().Attributes().SelectMany(a => ResourceReference().Matches(a.Value))
            .Where(m => m.Groups["kind"].Value == kind).Select(m => m.Groups["id"].Value).Distinct(StringComparer.Ordinal);

    private static XDocument Admx() => XDocument.Load(AdmxPath, LoadOptions.SetLineInfo);

    private static XDocument Adml() => XDocument.Load(AdmlPath, LoadOptions.SetLineInfo);

    private static Version ProductVersion()
    {
        string? text = XDocument.Load(Path.Combine(Root.Value, "Directory.Build.props")).Descendants("Version").FirstOrDefault()?.Value;
        Assert.IsNotNull(text, "Directory.Build.props has no <Version>");
        return Version.Parse(text);
    }

    private static string FindRoot()
    {
        string? root = AppContext.BaseDirectory;
        while (root is not null && !File.Exists(Path.Combine(root, "Plugin.sln")))
        {
            root = Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(root));
        }

        return root ?? throw new InvalidOperationException("Plugin.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"\$\((?<kind>string|presentation)\.(?<id>[^)]+)\)")]
    private static partial Regex ResourceReference();

    [GeneratedRegex(@"_(?<version>\d+(?:_\d+)*)$")]
    private static partial Regex SupportedVersion();

    private sealed record WrittenValue(string PolicyName, XElement Policy, XElement? Element, string Key, string? ValueName);
}
