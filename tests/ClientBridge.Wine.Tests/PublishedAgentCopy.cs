using System.IO;

namespace ClientBridge.Wine.Tests;

/// <summary>Copies of the published agent's folder, for tests that need it at another path.</summary>
internal static class PublishedAgentCopy
{
    /// <summary>
    /// A real copy of the published folder in <paramref name="destination"/>, returning its ClientBridge.exe. Not hard
    /// links (<c>cp -al</c>): Wine names a process after the first path its executable's file was opened by, so a
    /// hard-linked copy still reports the agent's own folder. Copying the ~80 MB takes well under a second.
    /// </summary>
    public static string Make(string destination)
    {
        string source = WineEnvironment.Current.PublishDirectory;
        Directory.CreateDirectory(destination);
        foreach (string directory in Directory.GetDirectories(source, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(destination, Path.GetRelativePath(source, directory)));
        }

        foreach (string file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(destination, Path.GetRelativePath(source, file)));
        }

        return Path.Combine(destination, "ClientBridge.exe");
    }
}
