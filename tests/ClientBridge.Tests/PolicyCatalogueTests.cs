using System.Linq;
using System.Reflection;
using ClientBridge.Policies;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace ClientBridge.Tests;

/// <summary>
/// <see cref="PolicyValues.All"/> is what the Group Policy templates are checked against, so it must name every policy
/// constant the agent reads, each once.
/// </summary>
[TestClass]
public sealed class PolicyCatalogueTests
{
    [TestMethod]
    public void The_catalogue_lists_every_policy_name_constant_once()
    {
        string[] constants = [.. typeof(PolicyValues).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string) && f.Name != nameof(PolicyValues.KeyPath))
            .Select(f => (string)f.GetRawConstantValue()!)];
        string[] listed = [.. PolicyValues.All.Select(p => p.Name)];

        string[] missing = [.. constants.Except(listed)];
        Assert.IsEmpty(missing, "Policy constants missing from PolicyValues.All: " + string.Join(", ", missing));

        string[] unknown = [.. listed.Except(constants)];
        Assert.IsEmpty(unknown, "PolicyValues.All names values that are no policy constant: " + string.Join(", ", unknown));

        string[] twice = [.. listed.GroupBy(n => n).Where(g => g.Count() > 1).Select(g => g.Key)];
        Assert.IsEmpty(twice, "Listed more than once in PolicyValues.All: " + string.Join(", ", twice));
    }

    [TestMethod]
    public void Every_number_policy_has_a_range_and_no_other_kind_has_one()
    {
        string[] wrong = [.. PolicyValues.All
            .Where(p => p.Kind == PolicyKind.Number ? p.Min < 0 || p.Min > p.Max || p.Max == 0 : p.Min != 0 || p.Max != 0)
            .Select(p => $"{p.Name} ({p.Kind}, {p.Min}..{p.Max})")];
        Assert.IsEmpty(wrong, "Policies whose range does not fit their kind: " + string.Join(", ", wrong));
    }
}
