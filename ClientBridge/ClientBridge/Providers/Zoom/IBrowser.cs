using System;
using System.Diagnostics;

namespace ClientBridge.Providers.Zoom;

/// <summary>Shows the sign-in page to the person: the system browser in the agent, a scripted HTTP client in tests.</summary>
public interface IBrowser
{
    void Open(Uri url);
}

/// <summary>
/// The user's default browser, through the shell (Windows' file association; <c>xdg-open</c> elsewhere), as RFC 8252
/// asks of native apps: no embedded web view, so the app never sees the password.
/// </summary>
public sealed class SystemBrowser : IBrowser
{
    public void Open(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp)
        {
            throw new ArgumentException("Only web addresses are opened in the browser.", nameof(url));
        }

        using Process? process = Process.Start(new ProcessStartInfo(url.AbsoluteUri) { UseShellExecute = true });
    }
}
