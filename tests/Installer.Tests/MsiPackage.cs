using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Installer.Tests;

/// <summary>
/// A built MSI read back table by table, as IT would inspect it: exported in Windows Installer's text (.idt) format
/// by <c>msiinfo export</c> (msitools) here, or by msi.dll's own MsiDatabaseExport on Windows, then parsed the same way.
/// </summary>
internal sealed partial class MsiPackage
{
    private readonly Dictionary<string, IReadOnlyList<IReadOnlyDictionary<string, string>>> _tables = new(StringComparer.Ordinal);

    private MsiPackage(string path) => Path = path;

    public string Path { get; }

    public static MsiPackage Open(string path)
    {
        Assert.IsTrue(File.Exists(path), $"{path} does not exist. Build the installers first: dotnet build -c Release Installer");
        return new MsiPackage(path);
    }

    /// <summary>Every row of <paramref name="table"/>, column name to value (empty for null); none when the table does not exist.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>> Rows(string table)
    {
        if (!_tables.TryGetValue(table, out IReadOnlyList<IReadOnlyDictionary<string, string>>? rows))
        {
            rows = Parse(Export(table));
            _tables[table] = rows;
        }

        return rows;
    }

    public string Property(string name) =>
        Rows("Property").SingleOrDefault(r => r["Property"] == name)?["Value"] ?? string.Empty;

    /// <summary>.idt: column names, column types, table name and keys, then one tab-separated row per line.</summary>
    private static List<IReadOnlyDictionary<string, string>> Parse(string idt)
    {
        string[] lines = idt.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        if (lines.Length < 3 || string.IsNullOrEmpty(lines[0]))
        {
            return [];
        }

        string[] columns = lines[0].Split('\t');
        var rows = new List<IReadOnlyDictionary<string, string>>();
        foreach (string line in lines.Skip(3).Where(l => l.Length > 0))
        {
            string[] cells = line.Split('\t');
            var row = new Dictionary<string, string>(StringComparer.Ordinal);
            for (int i = 0; i < columns.Length; i++)
            {
                row[columns[i]] = i < cells.Length ? Unescape(cells[i]) : string.Empty;
            }

            rows.Add(row);
        }

        return rows;
    }

    /// <summary>Windows Installer writes tab, line feed and carriage return inside a value as these control characters.</summary>
    private static string Unescape(string cell) =>
        cell.Replace('\u0010', '\t').Replace('\u0019', '\n').Replace('\u0011', '\r');

    private string Export(string table) => OperatingSystem.IsWindows() ? ExportWithMsiDll(table) : ExportWithMsiinfo(table);

    private string ExportWithMsiinfo(string table)
    {
        var start = new ProcessStartInfo("msiinfo")
        {
            ArgumentList = { "export", Path, table },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new AssertFailedException("msiinfo is not installed (apt-get install msitools); it reads the built MSIs back.", ex);
        }

        using (process)
        {
            System.Threading.Tasks.Task<string> error = process.StandardError.ReadToEndAsync();
            string output = process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(60_000))
            {
                process.Kill();
                throw new AssertFailedException($"msiinfo export {Path} {table} did not finish in 60 s.");
            }

            if (process.ExitCode == 0)
            {
                return output;
            }

            // A table the package does not have: nothing to list. Anything else is the package or the tool failing.
            Assert.Contains("table not found", error.Result, $"msiinfo export {Path} {table} failed with {process.ExitCode}.\n{error.Result}");
            return string.Empty;
        }
    }

    private string ExportWithMsiDll(string table)
    {
        string folder = Directory.CreateTempSubdirectory("msi-export-").FullName;
        try
        {
            uint opened = MsiOpenDatabase(Path, IntPtr.Zero, out IntPtr database);
            Assert.AreEqual(0u, opened, $"MsiOpenDatabase({Path}) failed with {opened}.");
            try
            {
                uint exported = MsiDatabaseExport(database, table, folder, table + ".idt");

                // ERROR_BAD_QUERY_SYNTAX / ERROR_INVALID_TABLE: the package has no such table.
                if (exported != 0)
                {
                    return string.Empty;
                }
            }
            finally
            {
                _ = MsiCloseHandle(database);
            }

            return File.ReadAllText(System.IO.Path.Combine(folder, table + ".idt"), Encoding.Latin1);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [LibraryImport("msi.dll", EntryPoint = "MsiOpenDatabaseW", StringMarshalling = StringMarshalling.Utf16)]
    private static partial uint MsiOpenDatabase(string databasePath, IntPtr persist, out IntPtr database);

    [LibraryImport("msi.dll", EntryPoint = "MsiDatabaseExportW", StringMarshalling = StringMarshalling.Utf16)]
    private static partial uint MsiDatabaseExport(IntPtr database, string tableName, string folderPath, string fileName);

    [LibraryImport("msi.dll")]
    private static partial uint MsiCloseHandle(IntPtr handle);
}
