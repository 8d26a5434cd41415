using LoanOffice.Tests.Support;
using LoanOffice.Web.Features.Applications;
using Shouldly;
using SkiaSharp;

namespace LoanOffice.Tests.Web;

public class DocumentImagesTests
{
    private static SKBitmap Decode(byte[] jpeg) => SKBitmap.Decode(jpeg) ?? throw new InvalidOperationException("not an image");

    private static bool IsRed(SKColor c) => c.Red > 200 && c.Blue < 60;
    private static bool IsBlue(SKColor c) => c.Blue > 200 && c.Red < 60;

    [Fact]
    public void Thumbnail_FitsTheLongEdge_KeepingTheAspect()
    {
        using var thumb = Decode(DocumentImages.Thumbnail(TestImages.Jpeg(1200, 600))!);
        thumb.Width.ShouldBe(DocumentImages.MaxEdge);
        thumb.Height.ShouldBe(DocumentImages.MaxEdge / 2);
        IsRed(thumb.GetPixel(10, 60)).ShouldBeTrue();
        IsBlue(thumb.GetPixel(230, 60)).ShouldBeTrue();
    }

    [Fact]
    public void APhoneHeldUpright_GivesAnUprightThumbnail()
    {
        // EXIF 6: the stored pixels must be turned 90° clockwise: the red left half ends up on top
        using var thumb = Decode(DocumentImages.Thumbnail(TestImages.JpegWithOrientation(6))!);
        thumb.Width.ShouldBe(120);
        thumb.Height.ShouldBe(240);
        IsRed(thumb.GetPixel(60, 10)).ShouldBeTrue();
        IsBlue(thumb.GetPixel(60, 230)).ShouldBeTrue();
    }

    [Theory]
    [InlineData(1, "left")]
    [InlineData(2, "right")]
    [InlineData(3, "right")]
    [InlineData(4, "left")]
    [InlineData(5, "top")]
    [InlineData(6, "top")]
    [InlineData(7, "bottom")]
    [InlineData(8, "bottom")]
    public void EveryExifOrientation_PutsTheRedHalfWhereTheCameraSawIt(ushort orientation, string redSide)
    {
        using var t = Decode(DocumentImages.Thumbnail(TestImages.JpegWithOrientation(orientation))!);
        var sideways = orientation >= 5;
        (t.Width, t.Height).ShouldBe(sideways ? (120, 240) : (240, 120));
        var (rx, ry, bx, by) = redSide switch
        {
            "left" => (10, 60, 230, 60),
            "right" => (230, 60, 10, 60),
            "top" => (60, 10, 60, 230),
            _ => (60, 230, 60, 10),
        };
        IsRed(t.GetPixel(rx, ry)).ShouldBeTrue($"red expected at the {redSide}");
        IsBlue(t.GetPixel(bx, by)).ShouldBeTrue();
    }

    [Fact]
    public void SmallImages_AreNotEnlarged()
    {
        using var thumb = Decode(DocumentImages.Thumbnail(TestImages.Jpeg(80, 40))!);
        (thumb.Width, thumb.Height).ShouldBe((80, 40));
    }

    [Fact]
    public void AJpegHeaderOnGarbage_IsNotAnImage()
    {
        DocumentImages.Thumbnail([0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0]).ShouldBeNull();
    }
}
