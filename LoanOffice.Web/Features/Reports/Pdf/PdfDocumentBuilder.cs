using System.Globalization;
using System.Text;
using SkiaSharp;

namespace LoanOffice.Web.Features.Reports.Pdf;

public sealed record PdfMeta(string Title, string Author, DateTimeOffset Created, string? Subject = null);

/// <summary>
/// A small document layout layer over Skia's PDF backend: A4 pages with header and footer bands on every page
/// ("第 x 页 / 共 y 页"), headings, paragraphs, key-value blocks, boxes and tables with weighted columns whose header
/// row repeats on every page and whose rows move to the next page whole. Lines break at every CJK character and at
/// spaces, keep Latin words whole and never start with closing punctuation. Layout measures with the full faces; the
/// PDF embeds per-document subsets, and each character falls back to the fallback face when the main one lacks it.
/// The same content and metadata give the same bytes.
/// </summary>
public sealed class PdfDocumentBuilder(PdfFonts fonts)
{
    public const float PageWidth = 595.28f;
    public const float PageHeight = 841.89f;
    public const float Margin = 48f;
    private const float BandHeight = 26f;
    private static readonly SKColor Ink = new(0x21, 0x21, 0x21);
    private static readonly SKColor Muted = new(0x61, 0x61, 0x61);
    private static readonly SKColor Rule = new(0xBD, 0xBD, 0xBD);
    private static readonly SKColor Shade = new(0xEE, 0xF2, 0xF7);

    /// <summary>Closing punctuation never starts a line: it stays with what precedes it.</summary>
    private const string Closing = "，。、；：？！）」』】》〉”’,.;:?!)]}％%·…";
    /// <summary>Opening punctuation never ends a line: it stays with what follows.</summary>
    private const string Opening = "（「『【《〈“‘([{";

    private readonly List<List<Op>> _pages = [[]];
    private float _y = Top;

    private static float Top => Margin + BandHeight;
    private static float Bottom => PageHeight - Margin - BandHeight;
    private static float ContentWidth => PageWidth - 2 * Margin;

    public string HeaderLeft { get; set; } = string.Empty;
    public string HeaderRight { get; set; } = string.Empty;
    public string FooterLeft { get; set; } = string.Empty;
    /// <summary>The page label in the footer's right corner; default "第 x 页 / 共 y 页".</summary>
    public Func<int, int, string> PageLabel { get; set; } = (page, pages) => $"第 {page} 页 / 共 {pages} 页";
    /// <summary>A PNG drawn at the bottom right of every page's footer band (the verification QR code).</summary>
    public byte[]? FooterImage { get; set; }

    public int PageCount => _pages.Count;

    private abstract record Op;
    private sealed record TextOp(float X, float Baseline, string Text, float Size, bool Bold, SKColor Color) : Op;
    private sealed record LineOp(float X1, float Y1, float X2, float Y2) : Op;
    private sealed record FillOp(SKRect Rect, SKColor Color) : Op;
    private sealed record StrokeOp(SKRect Rect) : Op;

    private List<Op> Page => _pages[^1];

    public PdfDocumentBuilder Heading(string text, float size = 15f)
    {
        Space(size * 0.4f);
        Lines(text, Margin, ContentWidth, size, bold: true, Ink);
        Space(size * 0.3f);
        return this;
    }

    public PdfDocumentBuilder Paragraph(string text, float size = 10f, bool bold = false)
    {
        Lines(text, Margin, ContentWidth, size, bold, Ink);
        Space(size * 0.4f);
        return this;
    }

    public PdfDocumentBuilder Space(float height)
    {
        _y += height;
        return this;
    }

    /// <summary>Label/value pairs in <paramref name="columns"/> columns; a pair never splits across pages.</summary>
    public PdfDocumentBuilder KeyValues(IReadOnlyList<(string Key, string Value)> items, int columns = 2, float size = 10f)
    {
        var cell = ContentWidth / columns;
        var keyWidth = cell * 0.36f;
        for (var i = 0; i < items.Count; i += columns)
        {
            var row = items.Skip(i).Take(columns).ToList();
            var wrapped = row.Select(p => (Key: Wrap(p.Key, keyWidth - 6, size, true), Value: Wrap(p.Value, cell - keyWidth - 6, size, false))).ToList();
            var height = wrapped.Max(w => Math.Max(w.Key.Count, w.Value.Count)) * LineHeight(size) + 4;
            EnsureRoom(height);
            for (var c = 0; c < wrapped.Count; c++)
            {
                var x = Margin + c * cell;
                DrawLines(wrapped[c].Key, x, _y, size, true, Muted);
                DrawLines(wrapped[c].Value, x + keyWidth, _y, size, false, Ink);
            }

            _y += height;
        }

        Space(size * 0.4f);
        return this;
    }

    /// <summary>A framed box with a bold title and lines of text (e.g. the decision box).</summary>
    public PdfDocumentBuilder Box(string title, IEnumerable<string> lines, float size = 10.5f)
    {
        var body = lines.SelectMany(l => Wrap(l, ContentWidth - 16, size, false)).ToList();
        var titleLines = Wrap(title, ContentWidth - 16, size + 1, true);
        var height = titleLines.Count * LineHeight(size + 1) + body.Count * LineHeight(size) + 14;
        EnsureRoom(height);
        Page.Add(new StrokeOp(new SKRect(Margin, _y, Margin + ContentWidth, _y + height)));
        DrawLines(titleLines, Margin + 8, _y + 6, size + 1, true, Ink);
        DrawLines(body, Margin + 8, _y + 6 + titleLines.Count * LineHeight(size + 1) + 2, size, false, Ink);
        _y += height + size * 0.6f;
        return this;
    }

    /// <summary>A table: column widths by weight; the header repeats on every page; a row moves to the next page whole.</summary>
    public PdfDocumentBuilder Table(IReadOnlyList<string> headers, IReadOnlyList<float> weights, IEnumerable<IReadOnlyList<string>> rows, float size = 9f)
    {
        var total = weights.Sum();
        var widths = weights.Select(w => ContentWidth * w / total).ToArray();
        const float pad = 4f;
        var header = headers.Select((h, i) => Wrap(h, widths[i] - 2 * pad, size, true)).ToList();
        var headerHeight = header.Max(h => h.Count) * LineHeight(size) + 2 * pad;

        void DrawHeader()
        {
            Page.Add(new FillOp(new SKRect(Margin, _y, Margin + ContentWidth, _y + headerHeight), Shade));
            DrawRow(header, headerHeight, bold: true);
        }

        void DrawRow(List<List<string>> cells, float height, bool bold)
        {
            var x = Margin;
            for (var i = 0; i < cells.Count; i++)
            {
                DrawLines(cells[i], x + pad, _y + pad, size, bold, Ink);
                x += widths[i];
            }

            Page.Add(new LineOp(Margin, _y + height, Margin + ContentWidth, _y + height));
            _y += height;
        }

        EnsureRoom(headerHeight + LineHeight(size) + 2 * pad);
        Page.Add(new LineOp(Margin, _y, Margin + ContentWidth, _y));
        DrawHeader();
        foreach (var row in rows)
        {
            var cells = row.Select((c, i) => Wrap(c, widths[i] - 2 * pad, size, false)).ToList();
            var height = Math.Min(cells.Max(c => c.Count) * LineHeight(size) + 2 * pad, Bottom - Top - headerHeight);
            if (_y + height > Bottom)
            {
                NewPage();
                Page.Add(new LineOp(Margin, _y, Margin + ContentWidth, _y));
                DrawHeader();
            }

            DrawRow(cells, height, bold: false);
        }

        Space(size * 0.8f);
        return this;
    }

    public void NewPage()
    {
        _pages.Add([]);
        _y = Top;
    }

    private void EnsureRoom(float height)
    {
        if (_y + height > Bottom && _y > Top) NewPage();
    }

    private void Lines(string text, float x, float width, float size, bool bold, SKColor color)
    {
        foreach (var line in Wrap(text, width, size, bold))
        {
            EnsureRoom(LineHeight(size));
            DrawLines([line], x, _y, size, bold, color);
            _y += LineHeight(size);
        }
    }

    private void DrawLines(List<string> lines, float x, float top, float size, bool bold, SKColor color)
    {
        for (var i = 0; i < lines.Count; i++)
            if (lines[i].Length > 0) Page.Add(new TextOp(x, top + i * LineHeight(size) + size * 1.05f, lines[i], size, bold, color));
    }

    private static float LineHeight(float size) => size * 1.45f;

    /// <summary>The text's width as it will print (each character in the face that has it).</summary>
    public float Measure(string text, float size, bool bold)
    {
        float width = 0;
        foreach (var (run, face) in Runs(text, bold))
        {
            using var font = new SKFont(fonts.Typeface(face), size);
            width += font.MeasureText(run);
        }

        return width;
    }

    /// <summary>Breaks text into lines no wider than <paramref name="width"/>; explicit newlines are kept.</summary>
    public List<string> Wrap(string text, float width, float size, bool bold)
    {
        var lines = new List<string>();
        foreach (var paragraph in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            var line = new StringBuilder();
            foreach (var token in Tokens(paragraph))
            {
                var candidate = line.Length == 0 ? token.TrimStart() : line + token;
                if (candidate.Length == 0) continue;
                if (Measure(candidate, size, bold) <= width)
                {
                    line.Clear().Append(candidate);
                    continue;
                }

                if (line.Length > 0) lines.Add(line.ToString().TrimEnd());
                line.Clear();
                var rest = token.TrimStart();
                // a token wider than the line (a long number or word) is cut by characters
                while (rest.Length > 0 && Measure(rest, size, bold) > width)
                {
                    var cut = 1;
                    while (cut < rest.Length && Measure(rest[..(cut + 1)], size, bold) <= width) cut++;
                    if (char.IsHighSurrogate(rest[cut - 1]) && cut < rest.Length) cut++;
                    lines.Add(rest[..cut]);
                    rest = rest[cut..];
                }

                line.Append(rest);
            }

            lines.Add(line.ToString().TrimEnd());
        }

        return lines;
    }

    /// <summary>Break opportunities: each CJK character, each space, around Latin words; punctuation glued (see above).</summary>
    private static List<string> Tokens(string text)
    {
        var tokens = new List<string>();
        var word = new StringBuilder();
        var opening = new StringBuilder();

        void Flush()
        {
            if (word.Length == 0) return;
            tokens.Add(opening + word.ToString());
            opening.Clear();
            word.Clear();
        }

        foreach (var rune in text.EnumerateRunes())
        {
            var s = rune.ToString();
            if (Closing.Contains(s, StringComparison.Ordinal))
            {
                if (word.Length > 0) word.Append(s);
                else if (tokens.Count > 0) tokens[^1] += s;
                else word.Append(s);
                continue;
            }

            if (Opening.Contains(s, StringComparison.Ordinal))
            {
                Flush();
                opening.Append(s);
                continue;
            }

            if (Rune.IsWhiteSpace(rune))
            {
                Flush();
                tokens.Add(" ");
                continue;
            }

            if (IsCjk(rune))
            {
                Flush();
                tokens.Add(opening + s);
                opening.Clear();
                continue;
            }

            word.Append(s);
        }

        Flush();
        if (opening.Length > 0) tokens.Add(opening.ToString());
        return tokens;
    }

    private static bool IsCjk(Rune r) =>
        r.Value is >= 0x2E80 and <= 0x9FFF or >= 0xAC00 and <= 0xD7AF or >= 0xF900 and <= 0xFAFF or >= 0xFF00 and <= 0xFFEF or >= 0x20000 and <= 0x3FFFF;

    /// <summary>Splits text into runs of one face each; characters no face has are dropped (and logged).</summary>
    private IEnumerable<(string Run, FaceKind Face)> Runs(string text, bool bold)
    {
        var run = new StringBuilder();
        FaceKind? current = null;
        foreach (var rune in text.EnumerateRunes())
        {
            var face = fonts.FaceFor(rune.Value, bold);
            if (face is null)
            {
                if (!Rune.IsWhiteSpace(rune) && !Rune.IsControl(rune))
                    fonts.Log.LogWarning("No font has the character U+{Code:X4} ({Char}); it is left out of the PDF", rune.Value, rune.ToString());
                continue;
            }

            if (face != current && run.Length > 0)
            {
                yield return (run.ToString(), current!.Value);
                run.Clear();
            }

            current = face;
            run.Append(rune.ToString());
        }

        if (run.Length > 0) yield return (run.ToString(), current!.Value);
    }

    /// <summary>Lays out the bands, subsets the faces to what is printed and writes the PDF.</summary>
    public byte[] Render(PdfMeta meta)
    {
        var total = _pages.Count;
        for (var p = 0; p < total; p++)
        {
            var ops = _pages[p];
            var headerBase = Margin + 12;
            ops.Add(new TextOp(Margin, headerBase, HeaderLeft, 8.5f, false, Muted));
            if (HeaderRight.Length > 0) ops.Add(new TextOp(PageWidth - Margin - Measure(HeaderRight, 8.5f, false), headerBase, HeaderRight, 8.5f, false, Muted));
            ops.Add(new LineOp(Margin, Margin + BandHeight - 8, PageWidth - Margin, Margin + BandHeight - 8));
            var footerTop = PageHeight - Margin - BandHeight + 8;
            ops.Add(new LineOp(Margin, footerTop, PageWidth - Margin, footerTop));
            if (FooterLeft.Length > 0) ops.Add(new TextOp(Margin, footerTop + 14, FooterLeft, 8f, false, Muted));
            var label = PageLabel(p + 1, total);
            var labelRight = PageWidth - Margin - (FooterImage is null ? 0 : 44);
            ops.Add(new TextOp(labelRight - Measure(label, 8f, false), footerTop + 14, label, 8f, false, Muted));
        }

        // the characters each face prints
        var used = new Dictionary<FaceKind, SortedSet<int>>();
        foreach (var op in _pages.SelectMany(p => p).OfType<TextOp>())
        foreach (var (run, face) in Runs(op.Text, op.Bold))
        {
            if (!used.TryGetValue(face, out var set)) used[face] = set = [];
            foreach (var rune in run.EnumerateRunes()) set.Add(rune.Value);
        }

        var typefaces = new Dictionary<FaceKind, SKTypeface>();
        try
        {
            foreach (var (face, codepoints) in used)
            {
                using var data = SKData.CreateCopy(fonts.Subset(face, codepoints));
                typefaces[face] = SKTypeface.FromData(data) ?? throw new InvalidOperationException($"The {face} subset could not be read.");
            }

            using var stream = new MemoryStream();
            var metadata = new SKDocumentPdfMetadata
            {
                Title = meta.Title, Author = meta.Author, Subject = meta.Subject ?? string.Empty, Creator = "LoanOffice", Producer = "LoanOffice",
                Creation = meta.Created.UtcDateTime, Modified = meta.Created.UtcDateTime, RasterDpi = 300, EncodingQuality = 100,
            };
            using (var document = SKDocument.CreatePdf(stream, metadata))
            {
                using var ink = new SKPaint { IsAntialias = true };
                using var stroke = new SKPaint { Color = Rule, StrokeWidth = 0.6f, Style = SKPaintStyle.Stroke, IsAntialias = true };
                using var fill = new SKPaint { Style = SKPaintStyle.Fill };
                using var footerImage = FooterImage is null ? null : SKImage.FromEncodedData(FooterImage);
                foreach (var ops in _pages)
                {
                    var canvas = document.BeginPage(PageWidth, PageHeight);
                    foreach (var op in ops)
                    {
                        switch (op)
                        {
                            case FillOp f:
                                fill.Color = f.Color;
                                canvas.DrawRect(f.Rect, fill);
                                break;
                            case StrokeOp s:
                                canvas.DrawRect(s.Rect, stroke);
                                break;
                            case LineOp l:
                                canvas.DrawLine(l.X1, l.Y1, l.X2, l.Y2, stroke);
                                break;
                            case TextOp t:
                                ink.Color = t.Color;
                                var x = t.X;
                                foreach (var (run, face) in Runs(t.Text, t.Bold))
                                {
                                    using var font = new SKFont(typefaces[face], t.Size);
                                    canvas.DrawText(run, x, t.Baseline, SKTextAlign.Left, font, ink);
                                    using var measure = new SKFont(fonts.Typeface(face), t.Size);
                                    x += measure.MeasureText(run);
                                }

                                break;
                        }
                    }

                    if (footerImage is not null)
                        canvas.DrawImage(footerImage, new SKRect(PageWidth - Margin - 38, PageHeight - Margin - 36, PageWidth - Margin, PageHeight - Margin + 2), new SKSamplingOptions(SKFilterMode.Nearest), null);
                    document.EndPage();
                }

                document.Close();
            }

            return stream.ToArray();
        }
        finally
        {
            foreach (var t in typefaces.Values) t.Dispose();
        }
    }

    /// <summary>Amounts in reports: two decimals, thousands separated.</summary>
    public static string Money(decimal amount) => amount.ToString("N2", CultureInfo.InvariantCulture);
}
