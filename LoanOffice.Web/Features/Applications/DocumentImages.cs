using SkiaSharp;

namespace LoanOffice.Web.Features.Applications;

/// <summary>
/// Uploaded photos and scans: proves an image really decodes (a JPEG/PNG header on garbage is refused) and makes the
/// thumbnail shown in the file's document list — upright as the camera meant it (EXIF orientation applied), at most
/// <see cref="MaxEdge"/> pixels on its long side, JPEG on a white background.
/// </summary>
public static class DocumentImages
{
    public const int MaxEdge = 240;

    /// <summary>The largest edge of the copy the browser shows when a document is opened.</summary>
    public const int ViewEdge = 2400;

    /// <summary>The thumbnail's JPEG bytes, or null when the content is not a readable image.</summary>
    public static byte[]? Thumbnail(byte[] image) => Render(image, MaxEdge, 80);

    /// <summary>
    /// The copy a browser opens (re-encoded here, so nothing but pixels reaches it): upright, at most
    /// <see cref="ViewEdge"/> pixels on its long side.
    /// </summary>
    public static byte[]? View(byte[] image) => Render(image, ViewEdge, 90);

    private static byte[]? Render(byte[] image, int maxEdge, int quality)
    {
        using var data = SKData.CreateCopy(image);
        using var codec = SKCodec.Create(data);
        // the header first: an image over the pixel limit is never decoded (a decompression bomb)
        if (codec is null || (long)codec.Info.Width * codec.Info.Height > DocumentScreening.MaxPixels) return null;
        using var decoded = SKBitmap.Decode(codec);
        if (decoded is null || decoded.Width == 0 || decoded.Height == 0) return null;

        var origin = codec.EncodedOrigin;
        var swap = origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        var (uprightWidth, uprightHeight) = swap ? (decoded.Height, decoded.Width) : (decoded.Width, decoded.Height);
        var scale = Math.Min(1f, (float)maxEdge / Math.Max(uprightWidth, uprightHeight));
        var width = Math.Max(1, (int)Math.Round(uprightWidth * scale));
        var height = Math.Max(1, (int)Math.Round(uprightHeight * scale));

        using var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        canvas.Scale(scale);
        ApplyOrigin(canvas, origin, decoded.Width, decoded.Height);
        using var source = SKImage.FromBitmap(decoded);
        canvas.DrawImage(source, 0, 0, new SKSamplingOptions(SKCubicResampler.Mitchell));
        canvas.Flush();
        using var snapshot = surface.Snapshot();
        using var jpeg = snapshot.Encode(SKEncodedImageFormat.Jpeg, quality);
        return jpeg.ToArray();
    }

    /// <summary>Maps the stored pixels (w × h) to the upright orientation the EXIF tag asks for.</summary>
    private static void ApplyOrigin(SKCanvas canvas, SKEncodedOrigin origin, int w, int h)
    {
        switch (origin)
        {
            case SKEncodedOrigin.TopRight: canvas.Translate(w, 0); canvas.Scale(-1, 1); break;
            case SKEncodedOrigin.BottomRight: canvas.Translate(w, h); canvas.RotateDegrees(180); break;
            case SKEncodedOrigin.BottomLeft: canvas.Translate(0, h); canvas.Scale(1, -1); break;
            case SKEncodedOrigin.LeftTop: canvas.RotateDegrees(90); canvas.Scale(1, -1); break;
            case SKEncodedOrigin.RightTop: canvas.Translate(h, 0); canvas.RotateDegrees(90); break;
            case SKEncodedOrigin.RightBottom: canvas.Translate(h, w); canvas.RotateDegrees(90); canvas.Scale(-1, 1); break;
            case SKEncodedOrigin.LeftBottom: canvas.Translate(0, w); canvas.RotateDegrees(-90); break;
            default: break;
        }
    }
}
