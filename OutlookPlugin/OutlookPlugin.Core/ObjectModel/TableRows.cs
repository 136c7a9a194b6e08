using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;

namespace OutlookPlugin.Core.ObjectModel;

/// <summary>
/// A Table's rows, many at a time: Table.GetArray gives hundreds of rows in one call where GetNextRow and GetValues take
/// two calls a row (FACTS §2.3). The documentation allows two layouts of the array and an error for a MaxRows larger than
/// the table; both are handled here.
/// </summary>
public static class TableRows
{
    /// <summary>Rows asked for in one call.</summary>
    public const int PerCall = 500;

    /// <summary>
    /// Every row of <paramref name="table"/> from its current position, each as its <paramref name="columns"/> values.
    /// When GetArray fails, the rest is read row by row.
    /// </summary>
    public static IEnumerable<object?[]> Read(OmObject table, int columns)
    {
        int total = table.Call<int>("GetRowCount");
        int done = 0;
        while (done < total)
        {
            int asked = BatchSize(total - done, columns);
            List<object?[]>? rows;
            try
            {
                rows = FromArray(table.Call("GetArray", asked), columns);
            }
            catch (COMException)
            {
                rows = null;
            }

            if (rows is null)
            {
                break;
            }

            foreach (object?[] row in rows)
            {
                yield return row;
            }

            done += rows.Count;
            if (rows.Count < asked)
            {
                yield break;
            }
        }

        if (done >= total)
        {
            yield break;
        }

        // GetArray failed or gave a layout that cannot be told: back to the rows already had, then the rest one at a time.
        table.Call("MoveToStart");
        for (int skipped = 0; skipped < done; skipped++)
        {
            using OmObject? passed = table.CallObject("GetNextRow");
            if (passed is null)
            {
                yield break;
            }
        }

        while (true)
        {
            object?[]? values;
            using (OmObject? row = table.CallObject("GetNextRow"))
            {
                if (row is null)
                {
                    yield break;
                }

                values = row.Call("GetValues") as object?[];
            }

            if (values is not null && values.Length >= columns)
            {
                yield return values;
            }
        }
    }

    /// <summary>
    /// How many rows to ask for: at most <see cref="PerCall"/>, never more than remain (Outlook 2007's page: an error),
    /// and never as many as there are columns, so that the array's layout can always be told.
    /// </summary>
    public static int BatchSize(int remaining, int columns)
    {
        int n = Math.Min(PerCall, remaining);
        return n == columns && n > 1 ? n - 1 : n;
    }

    /// <summary>
    /// The rows of a GetArray result. The documentation's text indexes it [column, row] while Microsoft's VBA sample reads
    /// it [row, column]: the dimension as long as the column count is the columns. Null when that cannot be told
    /// (as many rows as columns) or the value is no two-dimensional array.
    /// </summary>
    public static List<object?[]>? FromArray(object? value, int columns)
    {
        if (value is not Array { Rank: 2 } array)
        {
            return value is Array { Length: 0 } ? new List<object?[]>() : null;
        }

        int first = array.GetLength(0);
        int second = array.GetLength(1);
        bool rowsFirst = second == columns && first != columns;
        bool columnsFirst = first == columns && second != columns;
        if (first == 0 || second == 0)
        {
            return new List<object?[]>();
        }

        if (rowsFirst == columnsFirst)
        {
            return null;
        }

        int rowCount = rowsFirst ? first : second;
        int lower0 = array.GetLowerBound(0);
        int lower1 = array.GetLowerBound(1);
        var rows = new List<object?[]>(rowCount);
        for (int r = 0; r < rowCount; r++)
        {
            var values = new object?[columns];
            for (int c = 0; c < columns; c++)
            {
                values[c] = rowsFirst ? array.GetValue(lower0 + r, lower1 + c) : array.GetValue(lower0 + c, lower1 + r);
            }

            rows.Add(values);
        }

        return rows;
    }
}
