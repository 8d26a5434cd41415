namespace LoanOffice.Tests.Support;

/// <summary>PDFs the tests produce are kept under TestResults/pdf, to be looked at.</summary>
public static class TestPdfs
{
    public static string Directory { get; } = System.IO.Directory.CreateDirectory(
        Path.Combine(Architecture.DomainIsolationTests.RepoRoot(), "TestResults", "pdf")).FullName;

    /// <summary>A real, one-page PDF (as a scanner or a phone would export one), for uploads.</summary>
    public static byte[] Minimal()
    {
        using var builder = new UglyToad.PdfPig.Writer.PdfDocumentBuilder();
        builder.AddPage(UglyToad.PdfPig.Content.PageSize.A4);
        return builder.Build();
    }

    public static string Save(string name, byte[] pdf)
    {
        var path = Path.Combine(Directory, name + ".pdf");
        File.WriteAllBytes(path, pdf);
        return path;
    }
}
