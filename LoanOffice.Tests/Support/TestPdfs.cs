namespace LoanOffice.Tests.Support;

/// <summary>PDFs the tests produce are kept under TestResults/pdf, to be looked at.</summary>
public static class TestPdfs
{
    public static string Directory { get; } = System.IO.Directory.CreateDirectory(
        Path.Combine(Architecture.DomainIsolationTests.RepoRoot(), "TestResults", "pdf")).FullName;

    public static string Save(string name, byte[] pdf)
    {
        var path = Path.Combine(Directory, name + ".pdf");
        File.WriteAllBytes(path, pdf);
        return path;
    }
}
