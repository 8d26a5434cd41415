using SkiaSharp;

namespace LoanOffice.Tests.Support;

/// <summary>Real, decodable images for upload tests (a JPEG header alone is refused).</summary>
public static class TestImages
{
    /// <summary>A landscape JPEG, red on the left half and blue on the right.</summary>
    public static byte[] Jpeg(int width = 400, int height = 200)
    {
        using var surface = SKSurface.Create(new SKImageInfo(width, height));
        surface.Canvas.Clear(SKColors.Blue);
        using var red = new SKPaint { Color = SKColors.Red };
        surface.Canvas.DrawRect(0, 0, width / 2f, height, red);
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Jpeg, 90);
        return data.ToArray();
    }

    /// <summary>The same JPEG with an EXIF APP1 segment saying how the camera was held (6 = rotate 90° clockwise).</summary>
    public static byte[] JpegWithOrientation(ushort orientation, int width = 400, int height = 200)
    {
        var jpeg = Jpeg(width, height);
        byte[] app1 =
        [
            0xFF, 0xE1, 0x00, 0x22,                         // APP1, length 34
            (byte)'E', (byte)'x', (byte)'i', (byte)'f', 0, 0,
            (byte)'M', (byte)'M', 0x00, 0x2A, 0, 0, 0, 8,   // big-endian TIFF header, first IFD at 8
            0x00, 0x01,                                     // one entry
            0x01, 0x12, 0x00, 0x03, 0, 0, 0, 1,             // Orientation, SHORT, count 1
            (byte)(orientation >> 8), (byte)orientation, 0, 0,
            0, 0, 0, 0,                                     // no next IFD
        ];
        return [.. jpeg[..2], .. app1, .. jpeg[2..]];
    }
}
