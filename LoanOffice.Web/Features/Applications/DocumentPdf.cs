using UglyToad.PdfPig;

namespace LoanOffice.Web.Features.Applications;

/// <summary>An uploaded "PDF" must be one: its structure parses and it has at least one page (a renamed file is refused like a fake image).</summary>
public static class DocumentPdf
{
    public static bool IsReadable(byte[] content)
    {
        try
        {
            using var document = PdfDocument.Open(content);
            return document.NumberOfPages > 0;
        }
#pragma warning disable CA1031 // any failure to parse means "not a PDF we accept", whatever the parser throws
        catch (Exception)
#pragma warning restore CA1031
        {
            return false;
        }
    }
}
