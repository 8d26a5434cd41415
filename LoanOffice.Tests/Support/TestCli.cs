using System.Diagnostics;
using LoanOffice.Tests.Architecture;

namespace LoanOffice.Tests.Support;

/// <summary>Runs a verb of the LoanOffice.Web executable (this build) as a real child process, with optional standard input.</summary>
public static class TestCli
{
    public static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(string verb, IEnumerable<string> args, string? stdin = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = stdin is not null, RedirectStandardOutput = true, RedirectStandardError = true,
            WorkingDirectory = DomainIsolationTests.RepoRoot(),
        };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "LoanOffice.Web.dll"));
        psi.ArgumentList.Add(verb);
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) psi.Environment[name] = value;
        using var p = Process.Start(psi)!;
        if (stdin is not null)
        {
            await p.StandardInput.WriteAsync(stdin);
            p.StandardInput.Close();
        }

        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, await stdout, await stderr);
    }
}
