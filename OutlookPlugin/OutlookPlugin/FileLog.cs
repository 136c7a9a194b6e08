using System;
using System.Globalization;
using System.IO;
using OutlookPlugin.Core.Addin;

namespace OutlookPlugin;

/// <summary>
/// The add-in's log, beside the agent's in %LOCALAPPDATA%\ClientBridge\logs. Callers never pass calendar content;
/// the file is capped so a noisy day cannot fill the disk; a failure to log never affects Outlook.
/// </summary>
internal sealed class FileLog : IAddinLog
{
    private const long MaxBytes = 1024 * 1024;
    private readonly object _gate = new();
    private readonly string _path = Path.Combine(
        Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "ClientBridge", "logs", "outlook-addin.log");

    public void Write(string level, string message)
    {
        lock (_gate)
        {
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
                var file = new FileInfo(_path);
                if (file.Exists && file.Length > MaxBytes)
                {
                    File.Copy(_path, _path + ".1", overwrite: true);
                    File.Delete(_path);
                }

                File.AppendAllText(_path, DateTime.UtcNow.ToString("o", CultureInfo.InvariantCulture) + " " + level + " " + message + Environment.NewLine);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }
}
