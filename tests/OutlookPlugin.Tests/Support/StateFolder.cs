using System;
using System.IO;

namespace OutlookPlugin.Tests.Support;

/// <summary>A fresh folder for the add-in's state file (the meetings it follows), removed with everything in it at the end.</summary>
internal sealed class StateFolder : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "cb-state-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
