using System.Net;
using ClientBridge.Protocol;

namespace ClientBridge.Providers.Zoom;

/// <summary>Zoom's error codes as sentences a user can act on.</summary>
public static class ZoomErrors
{
    public static BridgeException ToException(HttpStatusCode status, ZoomError? error, string action)
    {
        string zoomSays = string.IsNullOrWhiteSpace(error?.Message) ? string.Empty : $" Zoom says: {error!.Message}";
        return (status, error?.Code) switch
        {
            (HttpStatusCode.Unauthorized, _) or (_, 124) or (_, 4700) => new BridgeException(ErrorCodes.SignedOut, "Your Zoom sign-in is no longer valid. Sign in to Zoom again with 'ClientBridge sign-in'."),
            (_, 1001) => new BridgeException(ErrorCodes.BadRequest, $"Zoom does not know the user to {action} for.{zoomSays}"),
            (_, 3000) or (_, 1010) or (HttpStatusCode.Forbidden, _) => new BridgeException(ErrorCodes.BadRequest, $"You no longer have scheduling privilege for this calendar in Zoom, so Zoom would not {action}.{zoomSays}"),
            (_, 3001) or (HttpStatusCode.NotFound, _) => new BridgeException(ErrorCodes.BadRequest, $"Zoom no longer has this meeting; it may have been deleted in Zoom.{zoomSays}"),
            ((HttpStatusCode)429, _) => new BridgeException(ErrorCodes.Timeout, $"Zoom's limit on meetings created or changed per day for this host is reached, so Zoom would not {action}. Try again later.{zoomSays}"),
            (HttpStatusCode.BadRequest, _) or (_, 300) => new BridgeException(ErrorCodes.BadRequest, $"Zoom refused to {action}.{zoomSays}"),
            _ => new BridgeException(ErrorCodes.Timeout, $"Zoom failed to {action} (HTTP {(int)status}); try again.{zoomSays}"),
        };
    }
}
