using System;
using ClientBridge.Desktop;

namespace ClientBridge.Providers.Zoom;

/// <summary>Shows the sign-in page to the person: the system browser in the agent, a scripted HTTP client in tests.</summary>
public interface IBrowser
{
    void Open(Uri url);
}

/// <summary>
/// The user's default browser, through <see cref="ShellOpener"/> (Windows' file association; <c>xdg-open</c> elsewhere), as RFC 8252
/// asks of native apps: no embedded web view, so the app never sees the password.
/// </summary>
public sealed class SystemBrowser(ShellOpener shell) : IBrowser
{
    public void Open(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp)
        {
            throw new ArgumentException("Only web addresses are opened in the browser.", nameof(url));
        }

        shell.Open(url.AbsoluteUri);
    }
}
