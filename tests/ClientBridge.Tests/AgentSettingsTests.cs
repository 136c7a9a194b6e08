using System.IO;
using ClientBridge.Scheduling;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace ClientBridge.Tests;

/// <summary>Where the logs are has one answer, which the log writer and the tray's "Open the log folder" both use.</summary>
[TestClass]
public sealed class AgentSettingsTests
{
    [TestMethod]
    public void Logs_go_where_run_was_told_else_beside_the_state_else_to_the_default_folder()
    {
        string state = Path.Combine(Path.GetTempPath(), "cb-state");
        Assert.AreEqual("/somewhere/logs-here", new AgentSettings { StateDirectory = state, LogDirectory = "/somewhere/logs-here" }.Logs());
        Assert.AreEqual(Path.Combine(state, "logs"), new AgentSettings { StateDirectory = state }.Logs());
        Assert.AreEqual(Logging.AgentLogging.DefaultDirectory(), new AgentSettings().Logs());
    }
}
