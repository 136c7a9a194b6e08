using System;
using System.Collections.Generic;
using System.IO;

namespace ClientBridge.Hosting;

/// <summary>
/// Removes this user's files for <c>remove-user-data</c> and keeps the account of it: what was removed, and for
/// what could not be, one sentence saying why. It goes on after a failure, so that one file in use leaves only
/// itself (and the folders holding it) behind. Only paths and reasons are recorded, never what a file holds.
/// </summary>
public sealed class UserDataRemoval
{
    private readonly List<string> _removed = [];
    private readonly List<string> _failures = [];

    /// <summary>Each thing removed: a path or a registry key, as it should be printed.</summary>
    public IReadOnlyList<string> Removed => _removed;

    /// <summary>One sentence for each thing that could not be removed.</summary>
    public IReadOnlyList<string> Failures => _failures;

    private static StringComparison PathComparison => OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    public void Record(string removed) => _removed.Add(removed);

    public void Fail(string what, string why) => _failures.Add($"Could not remove {what}: {why}.");

    /// <summary>
    /// Removes the file or folder at <paramref name="path"/> with everything in it. A symbolic link or junction,
    /// the root included, is removed as a link: what it points at may be anyone's, so it is never entered.
    /// </summary>
    public void Remove(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        if (Guarded(full) is { } guarded)
        {
            // A setting pointing the agent at a profile or a drive must not turn an uninstall into wiping it.
            Fail(full, $"it is, or holds, {guarded}, not a folder of ClientBridge's own");
            return;
        }

        var directory = new DirectoryInfo(full);
        FileSystemInfo entry = directory.Exists ? directory : new FileInfo(full);
        if (!entry.Exists && entry.LinkTarget is null)
        {
            return; // Nothing there (a dangling link does count: it is removed).
        }

        if (Delete(entry))
        {
            _removed.Add(full);
        }
    }

    /// <summary>Whether <paramref name="path"/> is <paramref name="folder"/> or lies inside it, comparing full paths as this system does.</summary>
    public static bool IsWithin(string path, string folder)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(folder);
        string inner = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        string outer = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        // A root keeps its separator ("/", "C:\"); every other folder gets one, so that /a/bc is not inside /a/b.
        string prefix = Path.EndsInDirectorySeparator(outer) ? outer : outer + Path.DirectorySeparatorChar;
        return inner.Equals(outer, PathComparison) || inner.StartsWith(prefix, PathComparison);
    }

    /// <summary>The paths in order, without those that another one already covers (the same folder, or one inside it).</summary>
    public static IReadOnlyList<string> Distinct(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var all = new List<string>();
        foreach (string path in paths)
        {
            all.Add(Path.TrimEndingDirectorySeparator(Path.GetFullPath(path)));
        }

        var kept = new List<string>();
        for (int i = 0; i < all.Count; i++)
        {
            bool covered = false;
            for (int j = 0; j < all.Count && !covered; j++)
            {
                // Inside another one, or the same as an earlier one.
                covered = i != j && IsWithin(all[i], all[j]) && (!IsWithin(all[j], all[i]) || j < i);
            }

            if (!covered)
            {
                kept.Add(all[i]);
            }
        }

        return kept;
    }

    /// <summary>What a path must not be nor hold: the root of a drive, the user's profile and the system's own folders.</summary>
    internal static string? Guarded(string full)
    {
        if (Path.GetPathRoot(full) is { } root && Path.TrimEndingDirectorySeparator(root).Equals(full, PathComparison))
        {
            return "the root of a file system";
        }

        (Environment.SpecialFolder Folder, string Name)[] guarded =
        [
            (Environment.SpecialFolder.UserProfile, "the user's profile"),
            (Environment.SpecialFolder.ApplicationData, "the user's application data"),
            (Environment.SpecialFolder.LocalApplicationData, "the user's local application data"),
            (Environment.SpecialFolder.MyDocuments, "the user's documents"),
            (Environment.SpecialFolder.Desktop, "the user's desktop"),
        ];
        foreach ((Environment.SpecialFolder folder, string name) in guarded)
        {
            string path = Environment.GetFolderPath(folder);
            if (path.Length > 0 && IsWithin(path, full))
            {
                return name;
            }
        }

        return IsWithin(Path.GetTempPath(), full) ? "the temporary folder" : null;
    }

    /// <summary>Deletes one entry (a folder after its contents); true when it has gone, else its failure is recorded.</summary>
    private bool Delete(FileSystemInfo entry)
    {
        try
        {
            if (IsLink(entry))
            {
                DeleteLink(entry);
                return true;
            }

            if (entry is DirectoryInfo directory)
            {
                bool emptied = true;
                foreach (FileSystemInfo child in directory.EnumerateFileSystemInfos("*", Everything))
                {
                    emptied &= Delete(child);
                }

                // The folder cannot go while something in it stayed; that something has said why already.
                if (!emptied)
                {
                    return false;
                }

                directory.Delete(recursive: false);
                return true;
            }

            if (OperatingSystem.IsWindows() && entry.Attributes.HasFlag(FileAttributes.ReadOnly))
            {
                // Windows refuses to delete a read-only file of one's own; the data is the user's to remove.
                entry.Attributes &= ~FileAttributes.ReadOnly;
            }

            entry.Delete();
            return true;
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return true; // Gone already, which is what was asked.
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Fail(entry.FullName, Why(ex));
            return false;
        }
    }

    /// <summary>Hidden and system files too: the default enumeration skips them, and they would keep their folder.</summary>
    private static readonly EnumerationOptions Everything = new()
    {
        AttributesToSkip = 0,
        IgnoreInaccessible = false,
        RecurseSubdirectories = false,
        ReturnSpecialDirectories = false,
    };

    /// <summary>
    /// A symbolic link, or on Windows a junction or any other reparse point on a folder: none is entered, so
    /// that nothing outside the folder can be reached through one.
    /// </summary>
    private static bool IsLink(FileSystemInfo entry) =>
        entry.LinkTarget is not null || (entry is DirectoryInfo && entry.Attributes.HasFlag(FileAttributes.ReparsePoint));

    private static void DeleteLink(FileSystemInfo entry)
    {
        if (OperatingSystem.IsWindows() && entry is DirectoryInfo)
        {
            // RemoveDirectory on a junction or folder link removes the link; the folder it names is untouched.
            Directory.Delete(entry.FullName, recursive: false);
        }
        else
        {
            // unlink(2) on a link removes the link itself, whatever it points at.
            File.Delete(entry.FullName);
        }
    }

    private static string Why(Exception ex) => ex switch
    {
        UnauthorizedAccessException => "access is denied",

        // ERROR_SHARING_VIOLATION and ERROR_LOCK_VIOLATION: another program has it open.
        IOException when (ex.HResult & 0xFFFF) is 32 or 33 => "it is in use by another program",
        _ => ex.Message.TrimEnd('.', ' '),
    };
}
