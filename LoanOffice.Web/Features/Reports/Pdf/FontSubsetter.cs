using System.Runtime.InteropServices;

namespace LoanOffice.Web.Features.Reports.Pdf;

/// <summary>
/// Subsets a font to the characters a document uses, through HarfBuzz's subsetter in the native
/// <c>libHarfBuzzSharp</c> (package HarfBuzzSharp.NativeAssets.Linux). Skia embeds TrueType fonts whole; a 10 MB CJK
/// face per report would make every PDF huge (and its text extract wrongly), so each document embeds a subset.
/// A face is parsed and pre-processed for subsetting once (<c>hb_subset_preprocess</c>) and reused.
/// </summary>
public sealed partial class FontSubsetter : IDisposable
{
    private const string Lib = "libHarfBuzzSharp";
    private readonly GCHandle _pin;
    private readonly IntPtr _blob;
    private readonly IntPtr _face;
    private readonly Lock _gate = new();

    /// <param name="font">The font file's bytes (TrueType/OpenType or a collection).</param>
    /// <param name="faceIndex">The face within a collection (.ttc); 0 for a single font.</param>
    public FontSubsetter(byte[] font, int faceIndex = 0)
    {
        _pin = GCHandle.Alloc(font, GCHandleType.Pinned);
        _blob = hb_blob_create(_pin.AddrOfPinnedObject(), (uint)font.Length, MemoryModeReadOnly, IntPtr.Zero, IntPtr.Zero);
        var face = hb_face_create(_blob, (uint)faceIndex);
        _face = hb_subset_preprocess(face);
        hb_face_destroy(face);
    }

    /// <summary>A font holding just these characters' glyphs (and what they need), as font-file bytes.</summary>
    public byte[] Subset(IEnumerable<int> codepoints)
    {
        lock (_gate)
        {
            var input = hb_subset_input_create_or_fail();
            if (input == IntPtr.Zero) throw new InvalidOperationException("HarfBuzz could not create a subset input.");
            try
            {
                var unicodes = hb_subset_input_unicode_set(input);
                foreach (var cp in codepoints) hb_set_add(unicodes, (uint)cp);
                var subset = hb_subset_or_fail(_face, input);
                if (subset == IntPtr.Zero) throw new InvalidOperationException("HarfBuzz could not subset the font.");
                var blob = hb_face_reference_blob(subset);
                try
                {
                    var data = hb_blob_get_data(blob, out var length);
                    var bytes = new byte[length];
                    Marshal.Copy(data, bytes, 0, (int)length);
                    return bytes;
                }
                finally
                {
                    hb_blob_destroy(blob);
                    hb_face_destroy(subset);
                }
            }
            finally
            {
                hb_subset_input_destroy(input);
            }
        }
    }

    public void Dispose()
    {
        hb_face_destroy(_face);
        hb_blob_destroy(_blob);
        if (_pin.IsAllocated) _pin.Free();
    }

    private const int MemoryModeReadOnly = 1;

    [LibraryImport(Lib)] private static partial IntPtr hb_blob_create(IntPtr data, uint length, int mode, IntPtr userData, IntPtr destroy);
    [LibraryImport(Lib)] private static partial void hb_blob_destroy(IntPtr blob);
    [LibraryImport(Lib)] private static partial IntPtr hb_blob_get_data(IntPtr blob, out uint length);
    [LibraryImport(Lib)] private static partial IntPtr hb_face_create(IntPtr blob, uint index);
    [LibraryImport(Lib)] private static partial void hb_face_destroy(IntPtr face);
    [LibraryImport(Lib)] private static partial IntPtr hb_face_reference_blob(IntPtr face);
    [LibraryImport(Lib)] private static partial IntPtr hb_subset_preprocess(IntPtr face);
    [LibraryImport(Lib)] private static partial IntPtr hb_subset_input_create_or_fail();
    [LibraryImport(Lib)] private static partial void hb_subset_input_destroy(IntPtr input);
    [LibraryImport(Lib)] private static partial IntPtr hb_subset_input_unicode_set(IntPtr input);
    [LibraryImport(Lib)] private static partial void hb_set_add(IntPtr set, uint codepoint);
    [LibraryImport(Lib)] private static partial IntPtr hb_subset_or_fail(IntPtr face, IntPtr input);
}
