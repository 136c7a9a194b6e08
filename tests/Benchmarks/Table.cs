using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace Benchmarks;

/// <summary>A plain-text table: first column left-aligned, the others right-aligned, rules between sections.</summary>
internal sealed class Table
{
    private readonly string[] _headers;
    private readonly List<string[]?> _rows = [];

    public Table(params string[] headers) => _headers = headers;

    public void Add(params string[] cells)
    {
        if (cells.Length != _headers.Length)
        {
            throw new ArgumentException($"A row needs {_headers.Length} cells.", nameof(cells));
        }

        _rows.Add(cells);
    }

    /// <summary>A separator line.</summary>
    public void AddRule() => _rows.Add(null);

    public void Write(TextWriter writer)
    {
        int[] widths = [.. _headers.Select((header, column) => _rows.Where(row => row is not null).Select(row => row![column].Length).Append(header.Length).Max())];
        string rule = string.Join("-+-", widths.Select(width => new string('-', width)));
        writer.WriteLine(Format(_headers, widths));
        writer.WriteLine(rule);
        foreach (string[]? row in _rows)
        {
            writer.WriteLine(row is null ? rule : Format(row, widths));
        }
    }

    private static string Format(string[] cells, int[] widths) =>
        string.Join(" | ", cells.Select((cell, column) => column == 0 ? cell.PadRight(widths[column]) : cell.PadLeft(widths[column]))).TrimEnd();
}
