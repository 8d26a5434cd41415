using System.Globalization;
using LoanOffice.Domain.Loans;
using LoanOffice.Web.Hosting;

namespace LoanOffice.Web.Features.Calculator;

/// <summary>
/// <c>./loanoffice simulate &lt; scenario.json</c>: one JSON scenario on stdin, the loan's state as JSON on stdout,
/// computed by the domain alone (no database). Bad input exits 2 with one line on stderr naming the field.
/// </summary>
public static class SimulateCommand
{
    public static int Run(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length > 0)
        {
            stderr.WriteLine($"simulate: unexpected argument '{args[0]}' (the scenario is read from standard input)");
            return 2;
        }

        var result = Simulate(stdin.ReadToEnd());
        if (!result.IsSuccess)
        {
            var error = result.Error!;
            stderr.WriteLine($"simulate: {error.Field ?? "input"}: {ErrorText.Render(error, CultureInfo.InvariantCulture)}");
            return 2;
        }

        stdout.WriteLine(result.Value);
        return 0;
    }

    /// <summary>The scenario's result as JSON, or the first refusal.</summary>
    public static Domain.Common.Result<string> Simulate(string json)
    {
        var scenario = SimulationJson.Read(json);
        if (!scenario.IsSuccess) return scenario.Error!;
        var result = LoanSimulator.Run(scenario.Value!);
        if (!result.IsSuccess) return result.Error!;
        return SimulationJson.Write(result.Value!);
    }
}
