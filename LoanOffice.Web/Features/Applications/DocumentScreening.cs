using System.Buffers.Binary;
using System.Text;
using LoanOffice.Domain.Common;
using SkiaSharp;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Tokens;

namespace LoanOffice.Web.Features.Applications;

/// <summary>
/// What an uploaded document must not be, checked before anything decodes it: an image over <see cref="MaxPixels"/>
/// (a decompression bomb: a small file that decodes to gigabytes — only the header is read), a PDF with scripts,
/// automatic actions, embedded files or forms that submit, a file that is two things at once (a PNG with more after
/// its end, anything carrying web-page markup a browser could run).
/// </summary>
public static class DocumentScreening
{
    /// <summary>40 megapixels: more than any phone camera or A4 scan at 600 dpi (35 MP) needs.</summary>
    public const long MaxPixels = 40_000_000;

    public static Error? Screen(byte[] content, string contentType)
    {
        if (CarriesMarkup(content)) return Error.Of(ErrorCodes.DocumentPolyglot).At("file");
        if (contentType.StartsWith("image/", StringComparison.Ordinal))
        {
            if (Pixels(content) is not { } pixels) return Error.Of(ErrorCodes.DocumentUnreadable).At("file");
            if (pixels > MaxPixels) return Error.Of(ErrorCodes.DocumentTooManyPixels, MaxPixels / 1_000_000).At("file");
            if (contentType == "image/png" && !EndsAtIend(content)) return Error.Of(ErrorCodes.DocumentPolyglot).At("file");
            return null;
        }

        return HasActiveContent(content) switch
        {
            null => Error.Of(ErrorCodes.DocumentPdfUnreadable).At("file"),
            true => Error.Of(ErrorCodes.DocumentActiveContent).At("file"),
            false => null,
        };
    }

    /// <summary>Width × height from the image's header (nothing is decoded), or null when there is no readable header.</summary>
    public static long? Pixels(byte[] image)
    {
        using var data = SKData.CreateCopy(image);
        using var codec = SKCodec.Create(data);
        return codec is null ? null : (long)codec.Info.Width * codec.Info.Height;
    }

    // what a browser would run if it ever sniffed the file as a page (nosniff and the sandbox stop that; this refuses it)
    private static readonly byte[][] Markup = [.. new[] { "<script", "<html", "<!doctype", "<iframe", "<svg", "<body", "<?php", "javascript:" }.Select(Encoding.ASCII.GetBytes)];

    private static bool CarriesMarkup(ReadOnlySpan<byte> content)
    {
        foreach (var marker in Markup)
            if (IndexOfIgnoreCase(content, marker) >= 0) return true;
        return false;
    }

    private static int IndexOfIgnoreCase(ReadOnlySpan<byte> haystack, byte[] needle)
    {
        var first = needle[0];
        for (var i = haystack.IndexOf(first); i >= 0 && i <= haystack.Length - needle.Length;)
        {
            var match = true;
            for (var j = 1; j < needle.Length && match; j++) match = (haystack[i + j] | 0x20) == (needle[j] | 0x20) || haystack[i + j] == needle[j];
            if (match) return i;
            var next = haystack[(i + 1)..].IndexOf(first);
            i = next < 0 ? -1 : i + 1 + next;
        }

        return -1;
    }

    /// <summary>A PNG's chunks, walked to IEND: nothing may follow it.</summary>
    private static bool EndsAtIend(ReadOnlySpan<byte> png)
    {
        var at = 8;
        while (at + 12 <= png.Length)
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(png[at..]);
            if (length > int.MaxValue - 12 || at + 12 + (long)length > png.Length) return false;
            var isEnd = png.Slice(at + 4, 4).SequenceEqual("IEND"u8);
            at += 12 + (int)length;
            if (isEnd) return at == png.Length;
        }

        return false;
    }

    private static readonly string[] Active = ["JavaScript", "JS", "OpenAction", "AA", "Launch", "EmbeddedFile", "EmbeddedFiles", "RichMedia", "XFA", "SubmitForm", "ImportData", "GoToR", "GoToE"];

    /// <summary>
    /// True when the PDF can run or carry something: such names anywhere in the file as written, or — decoded by the
    /// parser, so #-escaped names and compressed object streams are seen too — in the catalog, the name tree or a
    /// page's annotations. Null when the PDF cannot be read.
    /// </summary>
    public static bool? HasActiveContent(byte[] content)
    {
        var raw = Encoding.Latin1.GetString(content);
        foreach (var name in Active)
            for (var i = raw.IndexOf("/" + name, StringComparison.Ordinal); i >= 0; i = raw.IndexOf("/" + name, i + 1, StringComparison.Ordinal))
            {
                var after = i + 1 + name.Length;
                if (after >= raw.Length || !char.IsLetterOrDigit(raw[after])) return true; // "/JS" but not "/JSomething"
            }

        try
        {
            using var document = PdfDocument.Open(content);
            if (document.NumberOfPages == 0) return null;
            if (Mentions(document.Structure.Catalog.CatalogDictionary, document, depth: 0)) return true;
            foreach (var page in document.GetPages())
                if (Mentions(page.Dictionary, document, depth: 0)) return true;
            return false;
        }
#pragma warning disable CA1031 // any failure to parse means "not a PDF we accept", whatever the parser throws
        catch (Exception)
#pragma warning restore CA1031
        {
            return null;
        }
    }

    // a dictionary naming an active key, looked into through references a few levels down (catalog → Names → JavaScript, page → Annots → A)
    private static bool Mentions(DictionaryToken dictionary, PdfDocument document, int depth)
    {
        if (depth > 4) return false;
        foreach (var (key, value) in dictionary.Data)
        {
            if (Active.Contains(key, StringComparer.Ordinal)) return true;
            if (value is NameToken { Data: var name } && key == "S" && Active.Contains(name, StringComparer.Ordinal)) return true; // << /S /Launch … >>
            if (key is "Parent" or "Contents" or "Resources" or "Font" or "XObject") continue;
            if (Resolve(value, document, depth) is { } inner && Mentions(inner, document, depth + 1)) return true;
            if (value is ArrayToken array)
                foreach (var item in array.Data.Take(200))
                    if (Resolve(item, document, depth) is { } element && Mentions(element, document, depth + 1)) return true;
        }

        return false;
    }

    private static DictionaryToken? Resolve(IToken token, PdfDocument document, int depth) => token switch
    {
        DictionaryToken d => d,
        IndirectReferenceToken r when depth < 4 => document.Structure.GetObject(r.Data).Data as DictionaryToken,
        _ => null,
    };
}
