using System;

namespace OutlookPlugin.Core.Rules;

/// <summary>
/// The ribbon's pictures as Office draws transparency: a 32-bit DIB whose colour is premultiplied by its alpha. A
/// bitmap handed over through GetHbitmap has its transparent pixels filled with light grey, which shows as grey squares.
/// </summary>
public static class RibbonPixels
{
    /// <summary>
    /// Straight (not premultiplied) BGRA pixels, four bytes each as GDI+'s Format32bppArgb lays them out in memory,
    /// turned into premultiplied BGRA for a 32-bit DIB: a fully transparent pixel becomes all zero.
    /// </summary>
    public static byte[] Premultiply(byte[] straightBgra)
    {
        if (straightBgra is null || straightBgra.Length % 4 != 0)
        {
            throw new ArgumentException("Pixels come in fours: blue, green, red, alpha.", nameof(straightBgra));
        }

        var result = new byte[straightBgra.Length];
        for (int i = 0; i < straightBgra.Length; i += 4)
        {
            int alpha = straightBgra[i + 3];
            result[i] = (byte)(((straightBgra[i] * alpha) + 127) / 255);
            result[i + 1] = (byte)(((straightBgra[i + 1] * alpha) + 127) / 255);
            result[i + 2] = (byte)(((straightBgra[i + 2] * alpha) + 127) / 255);
            result[i + 3] = (byte)alpha;
        }

        return result;
    }
}
