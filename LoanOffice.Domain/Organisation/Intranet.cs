using System.Net;

namespace LoanOffice.Domain.Organisation;

/// <summary>
/// 审批操作仅限内网 (seed 004): votes, committee decisions, the final review, contracts, disbursements, manual
/// classification and write-offs are taken only from the company's own networks, even by a signed-in user. A request
/// without a client address (the nightly jobs, the command line) is the system itself and passes.
/// </summary>
public sealed class IntranetPolicy
{
    /// <summary>Loopback and the private ranges (RFC 1918, IPv6 unique-local) until the company lists its own.</summary>
    public static readonly string[] DefaultNetworks = ["127.0.0.0/8", "::1/128", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"];

    private readonly IReadOnlyList<IPNetwork> _networks;

    public IntranetPolicy(IEnumerable<string> networks) =>
        _networks = [.. networks.Select(n => IPNetwork.TryParse(n.Trim(), out var net) ? net : throw new FormatException($"not a network in CIDR form: {n}"))];

    public IReadOnlyList<IPNetwork> Networks => _networks;

    public bool Allows(string? clientIp)
    {
        if (string.IsNullOrEmpty(clientIp)) return true;
        if (!IPAddress.TryParse(clientIp, out var address)) return false;
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        return _networks.Any(n => n.Contains(address));
    }
}

/// <summary>The actions <see cref="IntranetPolicy"/> keeps inside the company's networks (the audit names them).</summary>
public static class IntranetActions
{
    public const string Vote = "Vote";
    public const string CommitteeDecision = "CommitteeDecision";
    public const string DisputeSettlement = "DisputeSettlement";
    public const string FinalReview = "FinalReview";
    public const string Contract = "Contract";
    public const string Disbursement = "Disbursement";
    public const string ManualClassification = "ManualClassification";
    public const string ExtensionDecision = "ExtensionDecision";
}
