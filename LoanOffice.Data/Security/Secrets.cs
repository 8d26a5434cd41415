using Microsoft.Extensions.Configuration;

namespace LoanOffice.Data.Security;

/// <summary>
/// The keys (personal data, lookup, data protection): from configuration — a value, or better a file named by
/// <c>…File</c> (a mounted secret, readable only by the app's user) — never from the repository. The demo values below
/// exist for development and the demo company; outside Development the app refuses to start with them unless
/// <c>Security:AllowDemoKeys</c> is true (the local demo that <c>./loanoffice run</c> starts, nothing else).
/// </summary>
public static class Secrets
{
    public const string PersonalDataKey = "Security:PersonalDataKey";
    public const string LookupKey = "Security:LookupKey";
    public const string DataProtectionKey = "Security:DataProtectionKey";

    internal const string DemoPersonalDataKey = "bG9hbm9mZmljZS1kZW1vLWVuY3J5cHRpb24ta2V5ISE="; // 32 bytes, demo only
    internal const string DemoLookupKey = "bG9hbm9mZmljZS1kZW1vLWxvb2t1cC1rZXktMDAwMDA="; // 32 bytes, demo only
    internal const string DemoDataProtectionKey = "bG9hbm9mZmljZS1kZW1vLWRhdGFwcm90ZWN0LWtleSE="; // 32 bytes, demo only

    private static readonly Dictionary<string, string> Demo = new(StringComparer.Ordinal)
    {
        [PersonalDataKey] = DemoPersonalDataKey, [LookupKey] = DemoLookupKey, [DataProtectionKey] = DemoDataProtectionKey,
    };

    /// <summary>The configured value (or the file's content), else the demo value; null only for an unknown name.</summary>
    public static string Read(IConfiguration configuration, string name)
    {
        if (configuration[name + "File"] is { Length: > 0 } path) return File.ReadAllText(path).Trim();
        return configuration[name] is { Length: > 0 } value ? value : Demo[name];
    }

    /// <summary>32 bytes from the key's base64.</summary>
    public static byte[] Key(IConfiguration configuration, string name)
    {
        byte[] key;
        try
        {
            key = Convert.FromBase64String(Read(configuration, name));
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"{name} must be base64 of 32 bytes.");
        }

        return key.Length == 32 ? key : throw new InvalidOperationException($"{name} must be base64 of 32 bytes.");
    }

    /// <summary>The keys still at their demo values (each one a reason not to start in production).</summary>
    public static IReadOnlyList<string> DemoKeysInUse(IConfiguration configuration) =>
        [.. Demo.Where(d => Read(configuration, d.Key) == d.Value).Select(d => d.Key)];
}
