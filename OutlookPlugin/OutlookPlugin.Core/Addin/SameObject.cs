using System.Collections.Generic;

namespace OutlookPlugin.Core.Addin;

/// <summary>
/// Outlook's objects compared as objects (one RCW per COM object in a thread; one wrapper per folder the add-in holds),
/// whatever Equals they might have: windows waiting for a meeting, calendars and their last reads.
/// </summary>
internal sealed class SameObject : IEqualityComparer<object>
{
    public static readonly SameObject Instance = new();

    public new bool Equals(object? x, object? y) => ReferenceEquals(x, y);

    public int GetHashCode(object obj) => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj);
}
