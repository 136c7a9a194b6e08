using System;
using System.Collections.Generic;
using System.Drawing;
using System.Drawing.Drawing2D;
using System.Drawing.Imaging;
using System.Runtime.InteropServices;
using OutlookPlugin.Core.Rules;

namespace OutlookPlugin;

/// <summary>
/// The ribbon's pictures, drawn once at 32×32 (no image files to ship or lose) and handed to Office as the
/// IPictureDisp it expects from getImage: a 32-bit premultiplied DIB section, which Office draws with its alpha
/// (<see cref="RibbonPixels"/>), not a GDI+ HBITMAP, whose transparency GetHbitmap fills with grey.
/// </summary>
internal static class RibbonImages
{
    private const int Size = 32;
    private static readonly Dictionary<string, object> Cache = new();

    public static object Get(string key)
    {
        if (!Cache.TryGetValue(key, out object? picture))
        {
            using Bitmap image = Draw(key);
            picture = ToPicture(image);
            Cache[key] = picture;
        }

        return picture;
    }

    private static Bitmap Draw(string key)
    {
        var image = new Bitmap(Size, Size, PixelFormat.Format32bppArgb);
        using Graphics g = Graphics.FromImage(image);
        g.SmoothingMode = SmoothingMode.AntiAlias;
        g.Clear(Color.Transparent);
        using var body = new SolidBrush(Color.FromArgb(0x2D, 0x6C, 0xDF));
        g.FillRectangle(body, 3, 9, 18, 14);
        g.FillPolygon(body, new[] { new Point(21, 14), new Point(29, 9), new Point(29, 23), new Point(21, 18) });
        using var mark = new Pen(key == "remove" ? Color.FromArgb(0xC4, 0x2B, 0x1C) : Color.White, 3);
        if (key == "remove")
        {
            g.DrawLine(mark, 6, 12, 18, 20);
            g.DrawLine(mark, 18, 12, 6, 20);
        }
        else if (key == "options")
        {
            g.DrawEllipse(mark, 8, 12, 8, 8);
        }

        return image;
    }

    /// <summary>The bitmap's pixels, premultiplied, in a top-down 32-bit DIB section owned by the picture.</summary>
    private static object ToPicture(Bitmap image)
    {
        BitmapData data = image.LockBits(new Rectangle(0, 0, Size, Size), ImageLockMode.ReadOnly, PixelFormat.Format32bppArgb);
        byte[] straight = new byte[Size * Size * 4];
        try
        {
            for (int row = 0; row < Size; row++)
            {
                Marshal.Copy(data.Scan0 + (row * data.Stride), straight, row * Size * 4, Size * 4);
            }
        }
        finally
        {
            image.UnlockBits(data);
        }

        byte[] premultiplied = RibbonPixels.Premultiply(straight);
        var header = new BitmapInfoHeader
        {
            Size = Marshal.SizeOf<BitmapInfoHeader>(),
            Width = Size,
            Height = -Size, // top-down
            Planes = 1,
            BitCount = 32,
        };
        IntPtr bitmap = CreateDIBSection(IntPtr.Zero, ref header, 0, out IntPtr bits, IntPtr.Zero, 0);
        if (bitmap == IntPtr.Zero)
        {
            throw new InvalidOperationException("CreateDIBSection failed.");
        }

        Marshal.Copy(premultiplied, 0, bits, premultiplied.Length);
        var description = new PictDesc { Size = Marshal.SizeOf<PictDesc>(), Type = 1, Handle = bitmap };
        Guid pictureDisp = new("7BF80981-BF32-101A-8BBB-00AA00300CAB");
        int hr = OleCreatePictureIndirect(ref description, ref pictureDisp, own: true, out object picture);
        if (hr < 0)
        {
            DeleteObject(bitmap);
            Marshal.ThrowExceptionForHR(hr);
        }

        return picture;
    }

    [DllImport("gdi32.dll", SetLastError = true)]
    private static extern IntPtr CreateDIBSection(IntPtr hdc, ref BitmapInfoHeader info, uint usage, out IntPtr bits, IntPtr section, uint offset);

    [DllImport("gdi32.dll")]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static extern bool DeleteObject(IntPtr handle);

    [DllImport("oleaut32.dll", PreserveSig = true)]
    private static extern int OleCreatePictureIndirect(ref PictDesc description, ref Guid iid, [MarshalAs(UnmanagedType.Bool)] bool own, [MarshalAs(UnmanagedType.IUnknown)] out object picture);

    [StructLayout(LayoutKind.Sequential)]
    private struct BitmapInfoHeader
    {
        public int Size;
        public int Width;
        public int Height;
        public short Planes;
        public short BitCount;
        public int Compression;
        public int SizeImage;
        public int XPelsPerMeter;
        public int YPelsPerMeter;
        public int ClrUsed;
        public int ClrImportant;
    }

    /// <summary>PICTDESC for PICTYPE_BITMAP: size, type, HBITMAP, HPALETTE (the union's bitmap arm).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct PictDesc
    {
        public int Size;
        public int Type;
        public IntPtr Handle;
        public IntPtr Palette;
    }
}
