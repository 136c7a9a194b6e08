using System;
using System.Runtime.Versioning;

namespace ClientBridge.Windows.Tray;

/// <summary>The tray's 16×16 icon, drawn at run time: a blue tile with a white camera.</summary>
[SupportedOSPlatform("windows")]
internal static unsafe class TrayIcon
{
    private const int Size = 16;

    /// <summary>A new icon (the caller destroys it), or the stock application icon when drawing fails.</summary>
    public static (nint Icon, bool Owned) Create()
    {
        uint* pixels = stackalloc uint[Size * Size];
        for (int y = 0; y < Size; y++)
        {
            for (int x = 0; x < Size; x++)
            {
                bool corner = (x is 0 or Size - 1) && (y is 0 or Size - 1);
                bool body = x is >= 3 and <= 9 && y is >= 5 and <= 10;
                bool lens = x is >= 10 and <= 12 && y >= 7 - (x - 10) && y <= 8 + (x - 10);
                uint argb = corner ? 0x00000000u : (body || lens) ? 0xFFFFFFFFu : 0xFF2D8CFFu; // ARGB, premultiplied.
                pixels[(y * Size) + x] = argb;
            }
        }

        byte* mask = stackalloc byte[Size * Size / 8];
        new Span<byte>(mask, Size * Size / 8).Clear();
        nint color = TrayNative.CreateBitmap(Size, Size, 1, 32, pixels);
        nint monochrome = TrayNative.CreateBitmap(Size, Size, 1, 1, mask);
        try
        {
            if (color != 0 && monochrome != 0)
            {
                var info = new TrayNative.ICONINFO { IsIcon = 1, Mask = monochrome, Color = color };
                nint icon = TrayNative.CreateIconIndirect(info);
                if (icon != 0)
                {
                    return (icon, true);
                }
            }
        }
        finally
        {
            if (color != 0)
            {
                TrayNative.DeleteObject(color);
            }

            if (monochrome != 0)
            {
                TrayNative.DeleteObject(monochrome);
            }
        }

        return (TrayNative.LoadIcon(0, TrayNative.IDI_APPLICATION), false);
    }
}
