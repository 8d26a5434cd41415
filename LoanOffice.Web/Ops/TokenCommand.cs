using System.Globalization;
using LoanOffice.Web.Hosting;
using LoanOffice.Web.Security;

namespace LoanOffice.Web.Ops;

/// <summary>
/// <c>./loanoffice token create --user NAME --name LABEL [--days N]</c> prints a new access token (the secret on standard
/// output, once); <c>./loanoffice token revoke --name LABEL</c> revokes one. For the first set-up and for automation;
/// recorded in the audit trail as made by <c>ops:token</c>, like the admin page's.
/// </summary>
public static class TokenCommand
{
    public static async Task<int> RunAsync(IServiceProvider services, string[] args, CancellationToken ct)
    {
        string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        var tokens = services.GetRequiredService<AccessTokens>();
        switch (args.FirstOrDefault())
        {
            case "create":
            {
                int? days = null;
                if (Option("--days") is { } d)
                {
                    if (!int.TryParse(d, NumberStyles.None, CultureInfo.InvariantCulture, out var n)) return Fail($"--days: '{d}' is not a whole number of days");
                    days = n;
                }
                var made = await tokens.CreateAsync(Option("--user"), Option("--name"), days, "ops:token", ct);
                if (!made.IsSuccess) return Fail(string.Join(" ", made.Error!.All.Select(e => (e.Field is null ? "" : "--" + e.Field + ": ") + ErrorText.Render(e, CultureInfo.InvariantCulture))));
                Console.Error.WriteLine($"token '{made.Value.Token.Name}' for {Option("--user")}, valid until {made.Value.Token.ExpiresAt:yyyy-MM-dd}; it is shown only now:");
                Console.WriteLine(made.Value.Secret);
                return 0;
            }
            case "revoke":
            {
                var revoked = await tokens.RevokeAsync(Option("--name"), "ops:token", ct);
                if (!revoked.IsSuccess) return Fail(ErrorText.Render(revoked.Error!, CultureInfo.InvariantCulture));
                Console.WriteLine($"token '{Option("--name")}' revoked");
                return 0;
            }
            default:
                return Fail("usage: token create --user NAME --name LABEL [--days N] | token revoke --name LABEL");
        }
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine(message);
        return 2;
    }
}
