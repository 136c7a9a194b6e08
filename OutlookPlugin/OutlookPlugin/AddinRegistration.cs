namespace OutlookPlugin;

/// <summary>
/// The add-in's COM identity, fixed forever: the installer writes exactly these (FACTS §6.5–6.6), and a test reads
/// them back from the built assembly to check the MSI.
/// </summary>
public static class AddinRegistration
{
    public const string ClassId = "5C7A2B9E-4F31-4E8D-A6C2-9B1D3E7F0A54";

    public const string ProgId = "ClientBridge.OutlookAddin";

    public const string FriendlyName = "ClientBridge video meetings";

    public const string Description = "Adds Zoom and Jitsi meetings to Outlook appointments and keeps them in step.";
}
