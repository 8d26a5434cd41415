namespace LoanOffice.Data.Reports;

/// <summary>
/// Every generated approval report (审批报告): its number, the SHA-256 over its canonical content and number, who
/// generated it and when. The verify page recomputes the content from the record as it stands and compares.
/// </summary>
public sealed class ApprovalReportRecord
{
    public Guid Id { get; set; }
    public string Number { get; set; } = string.Empty;
    public Guid ApplicationId { get; set; }
    public string Hash { get; set; } = string.Empty;
    public Guid GeneratedBy { get; set; }
    public string GeneratedByName { get; set; } = string.Empty;
    public DateTimeOffset GeneratedAt { get; set; }
}
