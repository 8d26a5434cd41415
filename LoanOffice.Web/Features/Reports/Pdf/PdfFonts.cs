using SkiaSharp;

namespace LoanOffice.Web.Features.Reports.Pdf;

public sealed class PdfFontOptions
{
    /// <summary>Where the shipped faces are (NotoSansSC-Regular.ttf, NotoSansSC-Bold.ttf); default: fonts/ beside the app.</summary>
    public string? Directory { get; set; }
    /// <summary>The per-character fallback face for what Noto Sans SC lacks (CJK Extension B, e.g. 𠮷).</summary>
    public string FallbackPath { get; set; } = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";
    public int FallbackIndex { get; set; } = 2; // Noto Sans CJK SC within the collection
}

public enum FaceKind
{
    Regular,
    Bold,
    Fallback,
}

/// <summary>
/// The faces documents are set in, loaded once: Noto Sans SC Regular and Bold (shipped in wwwroot-assets/fonts,
/// SIL OFL 1.1) and a fallback face for characters they lack. Full typefaces measure text during layout; each
/// document then embeds subsets made by <see cref="FontSubsetter"/>.
/// </summary>
public sealed class PdfFonts : IDisposable
{
    private readonly Dictionary<FaceKind, (SKTypeface Typeface, SKFont Font, FontSubsetter Subsetter)> _faces = [];

    public PdfFonts(PdfFontOptions options, ILogger<PdfFonts> log)
    {
        var dir = options.Directory ?? Path.Combine(AppContext.BaseDirectory, "fonts");
        Load(FaceKind.Regular, Path.Combine(dir, "NotoSansSC-Regular.ttf"), 0);
        Load(FaceKind.Bold, Path.Combine(dir, "NotoSansSC-Bold.ttf"), 0);
        if (File.Exists(options.FallbackPath)) Load(FaceKind.Fallback, options.FallbackPath, options.FallbackIndex);
        else log.LogWarning("The fallback font {Path} is missing: characters outside Noto Sans SC (CJK Extension B) will not print", options.FallbackPath);
        Log = log;
    }

    public ILogger<PdfFonts> Log { get; }

    public bool HasFallback => _faces.ContainsKey(FaceKind.Fallback);

    public SKTypeface Typeface(FaceKind kind) => _faces[kind].Typeface;

    public byte[] Subset(FaceKind kind, IEnumerable<int> codepoints) => _faces[kind].Subsetter.Subset(codepoints);

    /// <summary>The face that prints a character: the requested one if it has the glyph, else the fallback, else null.</summary>
    public FaceKind? FaceFor(int codepoint, bool bold)
    {
        var primary = bold ? FaceKind.Bold : FaceKind.Regular;
        if (_faces[primary].Font.ContainsGlyph(codepoint)) return primary;
        if (HasFallback && _faces[FaceKind.Fallback].Font.ContainsGlyph(codepoint)) return FaceKind.Fallback;
        return null;
    }

    /// <summary>Start-up check: fails fast when the fonts or the native subsetter are missing.</summary>
    public void SelfTest()
    {
        var subset = Subset(FaceKind.Regular, "张伟".EnumerateRunes().Select(r => r.Value));
        using var data = SKData.CreateCopy(subset);
        using var typeface = SKTypeface.FromData(data)
            ?? throw new InvalidOperationException("The font subsetter produced a font Skia cannot read.");
        using var font = new SKFont(typeface);
        if (!font.ContainsGlyphs("张伟")) throw new InvalidOperationException("The subset of 张伟 lacks its glyphs.");
    }

    private void Load(FaceKind kind, string path, int index)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"The PDF font {path} is missing (see wwwroot-assets/fonts).", path);
        var bytes = File.ReadAllBytes(path);
        var typeface = SKTypeface.FromFile(path, index) ?? throw new InvalidOperationException($"Skia cannot read the font {path}.");
        _faces[kind] = (typeface, new SKFont(typeface), new FontSubsetter(bytes, index));
    }

    public void Dispose()
    {
        foreach (var (typeface, font, subsetter) in _faces.Values)
        {
            font.Dispose();
            typeface.Dispose();
            subsetter.Dispose();
        }
    }
}
