using System;
using System.Collections.Generic;

namespace OutlookPlugin.Core.Addin;

/// <summary>
/// The ribbons Office has loaded, one IRibbonUI per ribbon id: the explorer's and the appointment window's each get
/// their own through their own onLoad callback (FACTS §6.2). Each is invalidated when the add-in's state changes and
/// released at shutdown; a second load of the same id replaces, and releases, the first.
/// </summary>
/// <typeparam name="T">IRibbonUI in Outlook; anything in tests.</typeparam>
public sealed class LoadedRibbons<T>
    where T : class
{
    private readonly Dictionary<string, T> _byId = new(StringComparer.Ordinal);
    private readonly Action<T> _invalidate;
    private readonly Action<T> _release;

    public LoadedRibbons(Action<T> invalidate, Action<T> release)
    {
        _invalidate = invalidate ?? throw new ArgumentNullException(nameof(invalidate));
        _release = release ?? throw new ArgumentNullException(nameof(release));
    }

    public int Count => _byId.Count;

    public void Loaded(string ribbonId, T ribbon)
    {
        if (_byId.TryGetValue(ribbonId, out T? before) && !ReferenceEquals(before, ribbon))
        {
            _release(before);
        }

        _byId[ribbonId] = ribbon;
    }

    /// <summary>Every loaded ribbon asks for its controls' state again; one that fails does not stop the others.</summary>
    public void InvalidateAll(IAddinLog log)
    {
        foreach (T ribbon in _byId.Values)
        {
            MainThread.Guard(() => _invalidate(ribbon), log);
        }
    }

    public void ReleaseAll(IAddinLog log)
    {
        foreach (T ribbon in _byId.Values)
        {
            MainThread.Guard(() => _release(ribbon), log);
        }

        _byId.Clear();
    }
}
