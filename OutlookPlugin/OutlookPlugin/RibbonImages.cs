using System.Collections.Generic;
using System.Drawing;
using System.Drawing.Drawing2D;
using System.Windows.Forms;

namespace OutlookPlugin;

/// <summary>
/// The ribbon's pictures, drawn once at 32×32 (no image files to ship or lose) and handed to Office as the
/// IPictureDisp it expects from getImage.
/// </summary>
internal static class RibbonImages
{
    private static readonly Dictionary<string, object> Cache = new();

    public static object Get(string key)
    {
        if (!Cache.TryGetValue(key, out object? picture))
        {
            using Bitmap image = Draw(key);
            picture = PictureConverter.ToPicture(image);
            Cache[key] = picture;
        }

        return picture;
    }

    private static Bitmap Draw(string key)
    {
        var image = new Bitmap(32, 32);
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

    /// <summary>AxHost's protected converter is the supported way to make an IPictureDisp from a bitmap.</summary>
    private sealed class PictureConverter : AxHost
    {
        private PictureConverter()
            : base(string.Empty)
        {
        }

        public static object ToPicture(Image image) => GetIPictureDispFromPicture(image);
    }
}
