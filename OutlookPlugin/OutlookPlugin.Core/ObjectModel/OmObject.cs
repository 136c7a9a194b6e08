using System;
using System.Globalization;
using System.Reflection;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;

namespace OutlookPlugin.Core.ObjectModel;

/// <summary>
/// One reference to an Outlook object, reached late-bound through IDispatch (<see cref="Type.InvokeMember(string, BindingFlags, Binder, object, object[])"/>
/// is what Microsoft's guidance says C# late binding goes through, FACTS §2). Disposing releases exactly this
/// reference, so that enumerations and event handlers never leak items (Exchange limits open items per session).
/// Must be used on Outlook's main thread, like every object-model call.
/// </summary>
public sealed class OmObject : IDisposable
{
    // IDispatch names are case-insensitive and trailing optional arguments may be left out; OptionalParamBinding
    // gives reflection-bound objects the same leniency (COM objects ignore it).
    private const BindingFlags Lookup = BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase | BindingFlags.OptionalParamBinding;

    private object? _target;

    public OmObject(object target)
    {
        _target = target ?? throw new ArgumentNullException(nameof(target));
    }

    /// <summary>The underlying COM object (an RCW inside Outlook), for casting to a COM interface.</summary>
    public object Target => _target ?? throw new ObjectDisposedException(nameof(OmObject));

    /// <summary>Wraps a value Outlook returned, or null for Nothing.</summary>
    public static OmObject? Wrap(object? value) => value is null ? null : new OmObject(value);

    public object? Get(string property) => Invoke(property, BindingFlags.GetProperty, Array.Empty<object?>());

    public T Get<T>(string property) => Convert<T>(Get(property), property);

    public string GetString(string property) => Get(property) as string ?? string.Empty;

    /// <summary>A property whose value is an object; the caller owns (disposes) the result.</summary>
    public OmObject? GetObject(string property) => Wrap(Get(property));

    public void Set(string property, object? value) => Invoke(property, BindingFlags.SetProperty, new[] { value });

    public object? Call(string method, params object?[] args) => Invoke(method, BindingFlags.InvokeMethod, args);

    public T Call<T>(string method, params object?[] args) => Convert<T>(Call(method, args), method);

    /// <summary>A method that returns an object; the caller owns (disposes) the result.</summary>
    public OmObject? CallObject(string method, params object?[] args) => Wrap(Call(method, args));

    public void Dispose()
    {
        object? target = _target;
        _target = null;
        Release(target);
    }

    /// <summary>
    /// Releases one reference to an object Outlook handed out: the RCW's count for a COM object; for anything else
    /// (the tests' fake Outlook) its own release through IDisposable.
    /// </summary>
    public static void Release(object? value)
    {
        if (value is null)
        {
            return;
        }

        if (Marshal.IsComObject(value))
        {
            Marshal.ReleaseComObject(value);
        }
        else if (value is IDisposable disposable)
        {
            disposable.Dispose();
        }
    }

    private object? Invoke(string name, BindingFlags kind, object?[] args)
    {
        try
        {
            return Target.GetType().InvokeMember(name, kind | Lookup, null, Target, args, CultureInfo.InvariantCulture);
        }
        catch (TargetInvocationException wrapped) when (wrapped.InnerException is not null)
        {
            // IDispatch errors surface wrapped; callers deal in the COMException Outlook raised.
            ExceptionDispatchInfo.Capture(wrapped.InnerException).Throw();
            throw;
        }
    }

    private static T Convert<T>(object? value, string member)
    {
        if (value is T typed)
        {
            return typed;
        }

        if (value is null && default(T) is null)
        {
            return default!;
        }

        try
        {
            // Enum-valued members come back as Int32 and dates as VT_DATE: a plain conversion covers both.
            return (T)System.Convert.ChangeType(value, typeof(T), CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is InvalidCastException or FormatException or OverflowException)
        {
            throw new OutlookDataException($"Outlook returned an unexpected value for {member}.", e);
        }
    }
}

/// <summary>Outlook returned data of a shape the documentation does not allow; the add-in skips it instead of crashing.</summary>
public sealed class OutlookDataException : Exception
{
    public OutlookDataException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public OutlookDataException(string message)
        : base(message)
    {
    }

    public OutlookDataException()
    {
    }
}
