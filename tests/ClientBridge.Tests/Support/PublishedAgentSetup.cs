using System.Globalization;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TestSupport;

namespace ClientBridge.Tests.Support;

/// <summary>Publishes the agent once for the whole assembly, before any test that starts it as a process.</summary>
[TestClass]
public static class PublishedAgentSetup
{
    [AssemblyInitialize]
    public static async Task PublishAgentAsync(TestContext context)
    {
        PublishedAgent agent = await AgentProcess.PublishAsync();
        context.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Agent published to {agent.Executable} in {agent.Elapsed.TotalSeconds:0.0} s ({agent.Waited.TotalSeconds:0.0} s waiting for another publish)."));
    }
}
