using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace ClientBridge.Scheduling;

/// <summary>
/// An append-only file of JSON lines that a crash cannot corrupt past its last line: each line is flushed through the
/// operating system's cache before <see cref="Append"/> returns; a line torn by a crash is skipped when read and ended
/// before the next one is written (so that the next line is not glued to it and lost at the following start); the file
/// is rewritten whole through a temporary file. Readable only by this user on Unix, as the state folder is on Windows.
/// </summary>
internal sealed class JsonLinesFile<T> : IDisposable
    where T : class
{
    private readonly string _path;
    private readonly JsonTypeInfo<T> _type;
    private FileStream? _file;

    public JsonLinesFile(string path, JsonTypeInfo<T> type)
    {
        _path = path;
        _type = type;
    }

    /// <summary>Lines in the file now, kept ones and superseded ones alike: what tells when a rewrite is worth it.</summary>
    public int Lines { get; private set; }

    /// <summary>Every readable entry in the order written; <paramref name="skipped"/> counts the lines that could not be read or that <paramref name="isWhole"/> refused.</summary>
    public List<T> ReadAll(Func<T, bool> isWhole, out int skipped)
    {
        var entries = new List<T>();
        skipped = 0;
        Lines = 0;
        if (!File.Exists(_path))
        {
            return entries;
        }

        foreach (string line in File.ReadLines(_path))
        {
            if (line.Length == 0)
            {
                continue;
            }

            Lines++;
            T? entry = null;
            try
            {
                entry = JsonSerializer.Deserialize(line, _type);
            }
            catch (JsonException)
            {
            }

            if (entry is null || !isWhole(entry))
            {
                skipped++;
                continue;
            }

            entries.Add(entry);
        }

        return entries;
    }

    /// <summary>Writes one line durably. Throws when the disk refuses, so that the caller tells no one of what is not on disk.</summary>
    public void Append(T entry)
    {
        byte[] line = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(entry, _type) + "\n");
        FileStream file = _file ??= OpenForAppend();
        file.Write(line);
        file.Flush(flushToDisk: true);
        Lines++;
    }

    /// <summary>Replaces the file with these entries: written to a temporary file, flushed, then moved over the old one.</summary>
    public void Rewrite(IEnumerable<T> entries)
    {
        string temporary = _path + ".new";
        int lines = 0;
        using (FileStream fresh = Open(temporary, FileMode.Create))
        {
            foreach (T entry in entries)
            {
                fresh.Write(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(entry, _type) + "\n"));
                lines++;
            }

            fresh.Flush(flushToDisk: true);
        }

        _file?.Dispose();
        _file = null;
        File.Move(temporary, _path, overwrite: true);
        Lines = lines;
    }

    public void Dispose()
    {
        _file?.Dispose();
        _file = null;
    }

    private FileStream OpenForAppend()
    {
        FileStream file = Open(_path, FileMode.OpenOrCreate, FileAccess.ReadWrite);
        try
        {
            bool torn = false;
            if (file.Length > 0)
            {
                file.Seek(-1, SeekOrigin.End);
                torn = file.ReadByte() != '\n';
            }

            file.Seek(0, SeekOrigin.End);
            if (torn)
            {
                // A crash tore the last line: end it, so that it stays one unreadable line and the next is whole.
                file.WriteByte((byte)'\n');
                file.Flush(flushToDisk: true);
            }
        }
        catch
        {
            file.Dispose();
            throw;
        }

        return file;
    }

    private static FileStream Open(string path, FileMode mode, FileAccess access = FileAccess.Write)
    {
        var options = new FileStreamOptions { Mode = mode, Access = access, Share = FileShare.Read };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return new FileStream(path, options);
    }
}
