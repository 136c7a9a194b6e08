using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;

namespace TestSupport;

/// <summary>
/// The agent published as it ships, for the tests and benchmarks that run it as a separate process: <c>dotnet publish</c>
/// of ClientBridge.csproj with the project's own settings (self-contained; compiled ahead of time where the runtime's
/// operating system is this machine's, trimmed and ReadyToRun otherwise), into a folder under <c>.artifacts/</c>.
/// Compiled into each test project that needs it (one file, linked), so that there is one way to do it.
/// </summary>
/// <remarks>
/// Test projects run in parallel processes, and two publishes of the agent build the same referenced projects and
/// rewrite the same restore output (<c>obj/project.assets.json</c>) at once. So a publish holds an exclusive lock on
/// <c>.artifacts/agent-publish.lock</c> while it runs (FileShare.None: an advisory lock on Linux, released by the
/// kernel if the process dies), and a second publish waits for the first.
/// </remarks>
internal static class AgentPublisher
{
    /// <summary>This machine's runtime identifier, as the agent would be published for it (<c>linux-x64</c>, <c>win-x64</c>).</summary>
    public static string HostRuntime { get; } =
        (OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux") + "-"
        + RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant();

    /// <summary>The executable's file name for a runtime identifier.</summary>
    public static string ExecutableName(string runtime) =>
        runtime.StartsWith("win", StringComparison.Ordinal) ? "ClientBridge.exe" : "ClientBridge";

    /// <summary>The folder holding Plugin.sln, found upwards from <paramref name="start"/> (the build output, by default).</summary>
    public static string FindRepositoryRoot(string? start = null)
    {
        for (DirectoryInfo? folder = new(start ?? AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Plugin.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No Plugin.sln above {start ?? AppContext.BaseDirectory}: run from the repository's build output.");
    }

    /// <summary>The agent for this machine (<see cref="HostRuntime"/>) into <c>.artifacts/agent-RID</c>, the one folder the agent's tests and the benchmarks share.</summary>
    public static Task<PublishedAgent> PublishForThisMachineAsync(TimeSpan timeout) =>
        PublishAsync(HostRuntime, Path.Combine(FindRepositoryRoot(), ".artifacts", "agent-" + HostRuntime), timeout);

    /// <summary>
    /// Publishes the agent for <paramref name="runtime"/> into <paramref name="outputFolder"/> (emptied first) and
    /// returns the executable's path. An unchanged agent republishes in seconds (the build is incremental).
    /// </summary>
    /// <exception cref="InvalidOperationException">The publish failed; the message carries dotnet's output.</exception>
    /// <exception cref="TimeoutException">The publish, or the wait for another one, took longer than <paramref name="timeout"/>.</exception>
    public static async Task<PublishedAgent> PublishAsync(string runtime, string outputFolder, TimeSpan timeout)
    {
        string root = FindRepositoryRoot();
        var clock = Stopwatch.StartNew();
        Directory.CreateDirectory(Path.Combine(root, ".artifacts"));
        using FileStream publishLock = await LockAsync(Path.Combine(root, ".artifacts", "agent-publish.lock"), timeout).ConfigureAwait(false);
        TimeSpan waited = clock.Elapsed;

        if (Directory.Exists(outputFolder))
        {
            Directory.Delete(outputFolder, recursive: true);
        }

        // A native publish on Linux restores the agent with the AOT compiler in its graph, which the solution's own
        // evaluations (the installer's win-x64 publish, which `dotnet test` may be building at this moment) do not
        // have: sharing obj/ would rebuild the agent under them, and two builds writing the same files fail. So it
        // builds a copy of the sources of its own (.artifacts/agent-src, kept in step file by file, so that it stays
        // incremental); every other publish builds the tree itself, as the installer does.
        string sources = IsolatedFromTree(runtime) ? SnapshotSources(root, Path.Combine(root, ".artifacts", "agent-src")) : root;

        string? hostPath = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        var start = new ProcessStartInfo(!string.IsNullOrEmpty(hostPath) && File.Exists(hostPath) ? hostPath : "dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = sources,
            ArgumentList =
            {
                "publish", Path.Combine(sources, "ClientBridge", "ClientBridge", "ClientBridge.csproj"),
                "-c", "Release", "-r", runtime, "--self-contained", "true", "-o", outputFolder, "--nologo",
            },
        };

        // The parent's runtime settings (a test host's, a dotnet run's) are no business of the build.
        foreach (string name in start.Environment.Keys.Where(n => (n.StartsWith("DOTNET_", StringComparison.OrdinalIgnoreCase) && n != "DOTNET_HOST_PATH") || n.StartsWith("COREHOST_", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        using Process publish = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet publish.");
        Task<string> output = publish.StandardOutput.ReadToEndAsync();
        Task<string> errors = publish.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(timeout - waited);
        try
        {
            await publish.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            publish.Kill(entireProcessTree: true);
            throw new TimeoutException($"Publishing the agent for {runtime} took more than {timeout.TotalMinutes:0.#} minutes.");
        }

        string executable = Path.Combine(outputFolder, ExecutableName(runtime));
        if (publish.ExitCode != 0 || !File.Exists(executable))
        {
            throw new InvalidOperationException($"Publishing the agent for {runtime} failed (exit code {publish.ExitCode}):\n{await output.ConfigureAwait(false)}\n{await errors.ConfigureAwait(false)}");
        }

        return new PublishedAgent(executable, clock.Elapsed, waited);
    }

    /// <summary>
    /// Whether a publish for <paramref name="runtime"/> restores the agent differently from the tree's own builds:
    /// a native publish on a machine other than Windows (ClientBridge.csproj turns PublishAot on there for such a
    /// publish only; on Windows every evaluation has it).
    /// </summary>
    private static bool IsolatedFromTree(string runtime) => !OperatingSystem.IsWindows() && runtime == HostRuntime;

    /// <summary>The files the agent's build reads, copied under <paramref name="snapshot"/>; unchanged files keep their time stamps, removed ones go.</summary>
    private static string SnapshotSources(string root, string snapshot)
    {
        foreach (string file in new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "global.json" })
        {
            CopyIfChanged(Path.Combine(root, file), Path.Combine(snapshot, file));
        }

        string from = Path.Combine(root, "ClientBridge");
        string to = Path.Combine(snapshot, "ClientBridge");
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        foreach (string file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(from, file);
            if (IsBuildOutput(relative))
            {
                continue;
            }

            wanted.Add(relative);
            CopyIfChanged(file, Path.Combine(to, relative));
        }

        if (Directory.Exists(to))
        {
            foreach (string file in Directory.EnumerateFiles(to, "*", SearchOption.AllDirectories))
            {
                string relative = Path.GetRelativePath(to, file);
                if (!IsBuildOutput(relative) && !wanted.Contains(relative))
                {
                    File.Delete(file); // A source removed from the tree must not be compiled from the copy.
                }
            }
        }

        return snapshot;
    }

    private static bool IsBuildOutput(string relative)
    {
        string[] parts = relative.Split(Path.DirectorySeparatorChar);
        return parts.Length > 1 && (parts[1] == "bin" || parts[1] == "obj");
    }

    private static void CopyIfChanged(string source, string destination)
    {
        var from = new FileInfo(source);
        var to = new FileInfo(destination);
        if (to.Exists && to.Length == from.Length && to.LastWriteTimeUtc == from.LastWriteTimeUtc)
        {
            return;
        }

        Directory.CreateDirectory(to.DirectoryName!);
        File.Copy(source, destination, overwrite: true);
        File.SetLastWriteTimeUtc(destination, from.LastWriteTimeUtc);
    }

    private static async Task<FileStream> LockAsync(string path, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException ex)
            {
                // Another process publishes the agent now; its lock goes when it ends, however it ends.
                if (clock.Elapsed > timeout)
                {
                    throw new TimeoutException($"Another publish of the agent held {path} for more than {timeout.TotalMinutes:0.#} minutes.", ex);
                }

                await Task.Delay(250).ConfigureAwait(false);
            }
        }
    }
}

/// <summary>A published agent: its executable, how long the publish took, and how much of that was waiting for another.</summary>
internal sealed record PublishedAgent(string Executable, TimeSpan Elapsed, TimeSpan Waited);
