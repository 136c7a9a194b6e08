using System;
using System.IO;
using System.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace ClientBridge.Wine.Tests;

/// <summary>
/// Runs a test only on Linux with an X server to start (<c>Xvfb</c>) and ImageMagick (<c>import</c>, <c>identify</c>)
/// to capture and read the screen: what the tray screenshot needs. <c>.ci/run</c> installs them.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
public sealed class HasVirtualScreenAttribute : ConditionBaseAttribute
{
    public HasVirtualScreenAttribute()
        : base(ConditionMode.Include)
    {
        IgnoreMessage = "Needs Linux with Xvfb and ImageMagick (apt-get install -y xvfb xauth imagemagick) to draw and capture the tray.";
    }

    public override bool IsConditionMet => OperatingSystem.IsLinux() && new[] { "Xvfb", "import", "identify" }.All(IsOnPath);

    public override string GroupName => nameof(HasVirtualScreenAttribute);

    internal static string? Find(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, program))
            .FirstOrDefault(File.Exists);

    private static bool IsOnPath(string program) => Find(program) is not null;
}
