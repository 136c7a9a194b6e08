using System;
using System.Collections.Generic;
using ClientBridge.Protocol;

namespace ClientBridge.Upcoming;

/// <summary>
/// Numbers the chosen-able entries of a menu model for a native menu (Win32 menu item ids start at 1) and maps a
/// chosen id back to its entry. Platform-neutral: the Windows tray draws the model and asks this what was chosen.
/// </summary>
public sealed class TrayMenuMap
{
    private readonly Dictionary<int, MenuEntry> _byId = [];
    private readonly Dictionary<MenuEntry, int> _idOf = new(ReferenceEqualityComparer.Instance);

    public TrayMenuMap(IReadOnlyList<MenuEntry> menu)
    {
        ArgumentNullException.ThrowIfNull(menu);
        Menu = menu;
        Number(menu);
    }

    public IReadOnlyList<MenuEntry> Menu { get; }

    /// <summary>How many entries have an id (enabled entries with a command).</summary>
    public int Count => _byId.Count;

    /// <summary>The id of an entry that can be chosen, or 0 for information, headers, separators and submenus.</summary>
    public int IdOf(MenuEntry entry) => _idOf.GetValueOrDefault(entry);

    /// <summary>The entry behind a chosen id; null for 0 (nothing chosen) or an unknown id.</summary>
    public MenuEntry? Find(int id) => _byId.GetValueOrDefault(id);

    /// <summary>A label as a native menu shows it: one line, an ampersand doubled so it is not taken for a mnemonic.</summary>
    public static string NativeLabel(string label)
    {
        ArgumentNullException.ThrowIfNull(label);
        return label.Replace("&", "&&", StringComparison.Ordinal).Replace('\t', ' ');
    }

    private void Number(IReadOnlyList<MenuEntry> entries)
    {
        foreach (MenuEntry entry in entries)
        {
            if (entry.Children is { Count: > 0 } children)
            {
                Number(children);
            }
            else if (entry.Kind == MenuEntryKind.Item && entry.Enabled && entry.Command is not null)
            {
                int id = _byId.Count + 1;
                _byId[id] = entry;
                _idOf[entry] = id;
            }
        }
    }
}
