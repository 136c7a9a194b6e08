using System;
using System.IO;
using System.Reflection;

namespace OutlookPlugin;

/// <summary>
/// Binding redirects for a DLL that has no config file of its own. Outlook.exe's configuration is not ours, so when
/// one dependency asks for another at a version other than the one shipped beside the add-in (System.Text.Json's
/// dependencies do this), the add-in's folder answers with what it has instead of the load failing.
/// </summary>
internal static class DependencyResolver
{
    private static readonly string Folder = Path.GetDirectoryName(typeof(DependencyResolver).Assembly.Location) ?? string.Empty;
    private static bool _installed;

    public static void Install()
    {
        if (_installed)
        {
            return;
        }

        _installed = true;
        AppDomain.CurrentDomain.AssemblyResolve += Resolve;
    }

    private static Assembly? Resolve(object? sender, ResolveEventArgs args)
    {
        string name = new AssemblyName(args.Name).Name ?? string.Empty;
        string path = Path.Combine(Folder, name + ".dll");
        return name.Length > 0 && File.Exists(path) ? Assembly.LoadFrom(path) : null;
    }
}
