using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace ClientBridge.Wine.Tests;

/// <summary>
/// The browser the agent's Windows build opens under Wine, as the test sees it. The agent opens a sign-in page the
/// way it does on Windows (ShellExecute of the https address, <c>SystemBrowser</c>); Wine hands http and https
/// addresses to <c>winebrowser</c>, which runs the first program of its <c>Browsers</c> list
/// (<c>HKCU\Software\Wine\WineBrowser</c>, normally xdg-open, firefox, …) with the address. This puts a script of the
/// test's there that writes the address to a file, so no real browser opens and the test can play the person at the
/// browser. The agent has no test seam for it. Disposing removes the value again.
/// </summary>
internal sealed class RecordingBrowser : IAsyncDisposable
{
    private const string Key = @"HKCU\Software\Wine\WineBrowser";
    private const string Value = "Browsers";

    private readonly string _urls;

    private RecordingBrowser(string urls) => _urls = urls;

    /// <summary>Installs the recording script in the Wine prefix; only under Wine (on Windows the real browser would open).</summary>
    public static async Task<RecordingBrowser> InstallAsync(WineEnvironment wine, string work)
    {
        ArgumentNullException.ThrowIfNull(wine);
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("winebrowser exists only under Wine.");
        }

        string script = Path.Combine(work, "browser.sh");
        string urls = Path.Combine(work, "browser-urls.txt");
        await File.WriteAllTextAsync(script, $"#!/bin/sh\nprintf '%s\\n' \"$1\" >> '{urls}'\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        // A host path: winebrowser starts the program with the host's execvp, not as a Windows program.
        ProcessResult set = await wine.RunWindowsAsync("reg", "add", Key, "/v", Value, "/t", "REG_SZ", "/d", script, "/f");
        Assert.AreEqual(0, set.ExitCode, $"Pointing winebrowser at the recording script failed.\n{set.Describe()}");
        return new RecordingBrowser(urls);
    }

    /// <summary>The next address the agent opened, or a failure naming what the sign-in command said meanwhile.</summary>
    public async Task<Uri> WaitForAddressAsync(int index, TimeSpan timeout, Task<ProcessResult> command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            string[] lines = File.Exists(_urls) ? await File.ReadAllLinesAsync(_urls) : [];
            if (lines.Length > index)
            {
                return new Uri(lines[index]);
            }

            if (command.IsCompleted)
            {
                Assert.Fail($"The agent opened no browser before the sign-in command ended.\n{(await command).Describe()}");
            }

            await Task.Delay(100);
        }

        string said = command.IsCompleted ? (await command).Describe() : "(the sign-in command is still waiting)";
        Assert.Fail($"The agent opened no browser within {timeout.TotalSeconds:0} s.\n{said}");
        return null!;
    }

    /// <summary>How many addresses the agent opened so far.</summary>
    public int Count => File.Exists(_urls) ? File.ReadLines(_urls).Count() : 0;

    public async ValueTask DisposeAsync() =>
        await WineEnvironment.Current.RunWindowsAsync("reg", "delete", Key, "/v", Value, "/f");
}
