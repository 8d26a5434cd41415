using LoanOffice.Data.Auditing;

namespace LoanOffice.Web.Security;

/// <summary>
/// Audit actor and client IP for this scope. HTTP requests read them from HttpContext; a circuit has none, so the
/// Routes component records them when the circuit starts (<see cref="SetCircuitUser"/>).
/// </summary>
public sealed class WebAuditContext(IHttpContextAccessor http) : IAuditContext
{
    private string? _circuitActor;
    private string? _circuitIp;

    public string Actor
    {
        get
        {
            if (_circuitActor is not null) return _circuitActor;
            var name = http.HttpContext?.User.Identity?.Name;
            return string.IsNullOrEmpty(name) ? "anonymous" : "user:" + name;
        }
    }

    public string? ClientIp => _circuitIp ?? http.HttpContext?.Connection.RemoteIpAddress?.ToString();

    public void SetCircuitUser(string? userName, string? clientIp)
    {
        _circuitActor = string.IsNullOrEmpty(userName) ? "anonymous" : "user:" + userName;
        _circuitIp = clientIp;
    }
}
