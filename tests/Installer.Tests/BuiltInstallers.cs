using System;
using System.IO;
using System.Xml.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using OutlookPlugin.Tests.Addin;

namespace Installer.Tests;

/// <summary>The two flavours the installer project builds, and where it puts them.</summary>
public enum Flavour
{
    PerMachine,
    PerUser,
}

/// <summary>The MSIs <c>dotnet build -c Release Installer</c> made from this checkout, opened once per run.</summary>
internal static class BuiltInstallers
{
    /// <summary>Windows Installer's Registry.Root: HKCU is 1, HKLM 2.</summary>
    public const string CurrentUserRoot = "1";
    public const string LocalMachineRoot = "2";

    /// <summary>Component.Attributes bit msidbComponentAttributes64bit: the component writes the 64-bit registry view.</summary>
    public const int Component64Bit = 256;

    private static readonly Lazy<MsiPackage> s_perMachine = new(() => Load(Flavour.PerMachine));
    private static readonly Lazy<MsiPackage> s_perUser = new(() => Load(Flavour.PerUser));

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>The product version: Version in Directory.Build.props, as the installer project reads it.</summary>
    public static string ProductVersion { get; } =
        XDocument.Load(Path.Combine(RepositoryRoot, "Directory.Build.props")).Root!.Element("PropertyGroup")!.Element("Version")!.Value;

    public static MsiPackage Get(Flavour flavour) => flavour == Flavour.PerMachine ? s_perMachine.Value : s_perUser.Value;

    public static string PathOf(Flavour flavour) => Path.Combine(
        RepositoryRoot, "artifacts", "installer", $"ClientBridge-{ProductVersion}-{(flavour == Flavour.PerMachine ? "per-machine" : "per-user")}.msi");

    private static MsiPackage Load(Flavour flavour)
    {
        string msi = PathOf(flavour);
        string addin = AddinFacts.AssemblyPath();

        // An MSI older than the add-in it should hold would compare the facts of one build with the package of another.
        if (File.Exists(msi) && File.Exists(addin))
        {
            Assert.IsFalse(
                File.GetLastWriteTimeUtc(msi) < File.GetLastWriteTimeUtc(addin),
                $"{msi} is older than {addin}: rebuild it with `dotnet build -c Release Installer`.");
        }

        return MsiPackage.Open(msi);
    }

    private static string FindRepositoryRoot()
    {
        for (DirectoryInfo? folder = new(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Plugin.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No Plugin.sln above {AppContext.BaseDirectory}.");
    }
}
