using System.Globalization;

namespace LoanOffice.Web.Features.Calculator;

/// <summary>
/// <c>./loanoffice schedule --method EqualInstallment --principal 10000 --annual-rate 0.08 --months 10 --start 2026-01-15 [--json]</c>.
/// Bad arguments exit with status 2 and one line on stderr.
/// </summary>
public static class ScheduleCommand
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        var json = false;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg == "--json") { json = true; continue; }
            if (arg is not ("--method" or "--principal" or "--annual-rate" or "--months" or "--start"))
                return Fail(stderr, $"unknown argument '{arg}' (expected --method, --principal, --annual-rate, --months, --start, --json)");
            if (i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal)) return Fail(stderr, $"{arg} needs a value");
            options[arg] = args[++i];
        }

        foreach (var required in new[] { "--method", "--principal", "--annual-rate", "--months", "--start" })
            if (!options.ContainsKey(required)) return Fail(stderr, $"missing {required}");

        if (!decimal.TryParse(options["--principal"], NumberStyles.Number, CultureInfo.InvariantCulture, out var principal))
            return Fail(stderr, $"--principal '{options["--principal"]}' is not a number");
        if (!decimal.TryParse(options["--annual-rate"], NumberStyles.Number, CultureInfo.InvariantCulture, out var rate))
            return Fail(stderr, $"--annual-rate '{options["--annual-rate"]}' is not a number (write 8 % as 0.08)");
        if (!int.TryParse(options["--months"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var months))
            return Fail(stderr, $"--months '{options["--months"]}' is not a whole number");

        var result = new ScheduleRequest(options["--method"], principal, rate, months, options["--start"]).Build();
        if (!result.IsSuccess) return Fail(stderr, "--" + FlagOf(result.Error!.Field) + ": " + result.Error.Message);
        stdout.Write(json ? ScheduleJson.Write(result.Value!) + "\n" : ScheduleJson.Table(result.Value!));
        return 0;
    }

    private static string FlagOf(string? field) => field switch
    {
        "annualRate" => "annual-rate",
        "startDate" => "start",
        null => "arguments",
        _ => field,
    };

    private static int Fail(TextWriter stderr, string message)
    {
        stderr.WriteLine("schedule: " + message);
        return 2;
    }
}
