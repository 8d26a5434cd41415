using LoanOffice.Data.Auditing;

namespace LoanOffice.Web.Security;

/// <summary>
/// Audit actor and client IP for this scope. HTTP requests read them from HttpContext; a circuit has none, so the
/// Routes component records them when the circuit starts (<see cref="SetCircuitUser"/>).
/// </summary>
public sealed class WebAuditContext(IHttpContextAccessor http) : IAuditContext
{
    /// <summary>Between the user and the token's name in an audit actor: <c>user:finance@token:bank-feed</c>.</summary>
    public const string TokenMark = "@token:";

    private string? _circuitActor;
    private string? _circuitIp;

    public string Actor
    {
        get
        {
            if (_circuitActor is not null) return _circuitActor;
            var user = http.HttpContext?.User;
            var name = user?.Identity?.Name;
            if (string.IsNullOrEmpty(name)) return "anonymous";
            // a call made with an access token names the token too
            return user!.FindFirst(AccessTokens.TokenClaim)?.Value is { } token ? $"user:{name}{TokenMark}{token}" : "user:" + name;
        }
    }

    /// <summary>Whether this scope acts as a signed-in user (a circuit, or work done as one: <see cref="ActingUser"/>).</summary>
    public bool HasActor => _circuitActor is not null;

    public string? ClientIp => _circuitIp ?? http.HttpContext?.Connection.RemoteIpAddress?.ToString();

    public void SetCircuitUser(string? userName, string? clientIp)
    {
        _circuitActor = string.IsNullOrEmpty(userName) ? "anonymous" : "user:" + userName;
        _circuitIp = clientIp;
    }
}
