using System;
using System.Collections.Generic;

namespace ClientBridge.Wine.Tests;

/// <summary>
/// Environment variables a test sets for the Windows programs it starts (they inherit the test host's environment),
/// put back as they were when the test ends. A name set twice keeps the value from before the first time. The Wine
/// tests take turns (DoNotParallelize), so the process-wide change is one test's alone.
/// </summary>
internal sealed class EnvironmentOverrides
{
    private readonly Dictionary<string, string?> _original = [];

    public void Set(string name, string value)
    {
        _original.TryAdd(name, Environment.GetEnvironmentVariable(name));
        Environment.SetEnvironmentVariable(name, value);
    }

    public void Restore()
    {
        foreach ((string name, string? value) in _original)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        _original.Clear();
    }
}
