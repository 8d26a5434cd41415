using LoanOffice.Domain.Organisation;
using Shouldly;

namespace LoanOffice.Tests.Architecture;

public class DomainIsolationTests
{
    [Fact]
    public void DomainAssembly_ReferencesOnlyTheBaseClassLibrary()
    {
        var references = typeof(Roles).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        var foreign = references.Where(n => !(n == "netstandard" || n == "mscorlib" || n.StartsWith("System", StringComparison.Ordinal)
                                                || n.StartsWith("Microsoft.Win32", StringComparison.Ordinal))).ToList();
        foreign.ShouldBeEmpty();
        references.ShouldNotContain(n => n.Contains("EntityFramework", StringComparison.Ordinal) || n.Contains("AspNetCore", StringComparison.Ordinal));
    }

    [Fact]
    public void DomainProject_HasNoPackageOrProjectReferences()
    {
        var csproj = File.ReadAllText(Path.Combine(RepoRoot(), "LoanOffice.Domain", "LoanOffice.Domain.csproj"));
        csproj.ShouldNotContain("PackageReference");
        csproj.ShouldNotContain("ProjectReference");
        csproj.ShouldNotContain("FrameworkReference");
    }

    public static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "LoanOffice.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("LoanOffice.sln not found above the test output.");
    }
}
