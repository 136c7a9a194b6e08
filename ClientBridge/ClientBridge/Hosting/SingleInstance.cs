using System;
using System.IO;
using ClientBridge.Protocol;

namespace ClientBridge.Hosting;

/// <summary>
/// One agent per endpoint (per user and session): an exclusively opened lock file, released by the operating
/// system even when the agent crashes. A second agent learns at once that the first is running. The file is
/// left in place: deleting it on close would let two agents lock two different files of the same name.
/// </summary>
public sealed class SingleInstance : IDisposable
{
    private readonly FileStream _lock;

    private SingleInstance(FileStream lockFile, string path)
    {
        _lock = lockFile;
        Path = path;
    }

    public string Path { get; }

    public static string LockPathFor(BridgeEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (endpoint.IsUnixSocket)
        {
            return endpoint.PipeName + ".lock";
        }

        string folder = System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "ClientBridge");
        return System.IO.Path.Combine(folder, endpoint.PipeName + ".lock");
    }

    /// <summary>Takes the lock, or returns null when another agent holds it.</summary>
    public static SingleInstance? TryAcquire(string path)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        try
        {
            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
            return new SingleInstance(stream, path);
        }
        catch (IOException)
        {
            return null;
        }
    }

    public void Dispose() => _lock.Dispose();
}
