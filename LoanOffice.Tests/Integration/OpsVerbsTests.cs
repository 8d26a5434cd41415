using LoanOffice.Tests.Support;
using Shouldly;

namespace LoanOffice.Tests.Integration;

/// <summary>The executable's verbs: one that does not exist names the verbs and exits 2, never starting a web server.</summary>
public class OpsVerbsTests
{
    [Fact]
    public async Task AnUnknownVerb_NamesTheVerbs_AndExits2()
    {
        var run = TestCli.RunAsync("tokens", ["create", "--user", "admin"]);
        var finished = await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(60)));
        finished.ShouldBe(run, "it answers at once instead of serving");
        var (exit, stdout, stderr) = await run;
        exit.ShouldBe(2);
        stderr.ShouldContain("unknown verb 'tokens'");
        stderr.ShouldContain("seed-demo");
        stdout.ShouldNotContain("Now listening");
    }
}
