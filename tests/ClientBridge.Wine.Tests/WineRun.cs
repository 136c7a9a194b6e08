using System;
using System.IO;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace ClientBridge.Wine.Tests;

/// <summary>Once per test run: Wine and the published agent before the first test, nothing left running after the last.</summary>
[TestClass]
public static class WineRun
{
    [AssemblyInitialize]
    public static async Task StartAsync(TestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        WineEnvironment environment = await WineEnvironment.CreateAsync();
        context.WriteLine($"Wine and agent logs of this run: {environment.LogsDirectory}");
        foreach (string line in environment.Timings)
        {
            context.WriteLine(line);
        }
    }

    [AssemblyCleanup]
    public static async Task StopAsync()
    {
        WineEnvironment environment;
        try
        {
            environment = WineEnvironment.Current;
        }
        catch (InvalidOperationException)
        {
            return;
        }

        await environment.StopWineAsync();

        // The timings of the whole run in one place (the test output holds each test's own).
        string summary = Path.Combine(environment.LogsDirectory, "timings.txt");
        await File.WriteAllLinesAsync(summary, environment.Timings);
        foreach (string line in environment.Timings)
        {
            Console.WriteLine(line);
        }
    }
}
