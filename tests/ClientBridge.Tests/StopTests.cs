using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using ClientBridge.Protocol;
using ClientBridge.Protocol.Client;
using ClientBridge.Server;
using ClientBridge.Tests.Support;
using Microsoft.Extensions.Hosting;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace ClientBridge.Tests;

/// <summary><c>agent.stop</c> inside the agent: the caller gets its answer, then the host is told to stop (the tray's Quit path).</summary>
[TestClass]
public sealed class StopTests
{
    [TestMethod]
    public async Task Stop_is_answered_first_and_the_host_stops_once_the_caller_hangs_up()
    {
        await using TestAgent agent = await TestAgent.StartAsync();
        CancellationToken stopping = agent.Get<IHostApplicationLifetime>().ApplicationStopping;

        StopReply reply;
        using (BridgeClient client = agent.CreateClient())
        {
            reply = await client.RequestAsync(MessageKinds.Stop, Empty.Instance, BridgeWire.Default.Empty, BridgeWire.Default.StopReply);
            Assert.AreEqual(Environment.ProcessId, reply.ProcessId);
            CollectionAssert.Contains(client.Agent!.Capabilities, MessageKinds.Stop, "The handshake announces it, so a caller can tell an older agent.");
        }

        var clock = Stopwatch.StartNew();
        while (!stopping.IsCancellationRequested && clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(20);
        }

        Assert.IsTrue(stopping.IsCancellationRequested, "The host was asked to stop.");
        Assert.IsLessThan(StopHandler.Grace, clock.Elapsed, "Hanging up stops it at once; the grace is for callers that stay.");
    }

    [TestMethod]
    public async Task A_caller_that_stays_connected_still_stops_the_agent_after_the_grace()
    {
        await using TestAgent agent = await TestAgent.StartAsync();
        CancellationToken stopping = agent.Get<IHostApplicationLifetime>().ApplicationStopping;
        using BridgeClient client = agent.CreateClient();

        await client.RequestAsync(MessageKinds.Stop, Empty.Instance, BridgeWire.Default.Empty, BridgeWire.Default.StopReply);
        bool stopped = await Task.Delay(StopHandler.Grace * 5, stopping).ContinueWith(t => t.IsCanceled, TaskScheduler.Default);

        Assert.IsTrue(stopped);
    }
}
