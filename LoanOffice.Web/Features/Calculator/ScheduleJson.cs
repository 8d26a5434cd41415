using System.Globalization;
using System.Text;
using System.Text.Json;
using LoanOffice.Domain.Loans;

namespace LoanOffice.Web.Features.Calculator;

/// <summary>
/// The calculator's JSON, identical from the CLI (<c>--json</c>) and the API: amounts as JSON numbers with two
/// decimals, the rate as given, dates yyyy-MM-dd, no whitespace.
/// </summary>
public static class ScheduleJson
{
    public static string Write(RepaymentSchedule s)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteString("method", s.Method.ToString());
            Amount(w, "principal", s.Principal);
            w.WritePropertyName("annualRate");
            w.WriteRawValue(s.AnnualRate.ToString("0.############", CultureInfo.InvariantCulture));
            w.WriteNumber("months", s.Months);
            w.WriteString("startDate", s.StartDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            w.WriteStartArray("installments");
            foreach (var l in s.Installments)
            {
                w.WriteStartObject();
                w.WriteNumber("number", l.Number);
                w.WriteString("dueDate", l.DueDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                Amount(w, "principal", l.Principal);
                Amount(w, "interest", l.Interest);
                Amount(w, "payment", l.Payment);
                Amount(w, "balanceAfter", l.BalanceAfter);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            Amount(w, "totalPrincipal", s.TotalPrincipal);
            Amount(w, "totalInterest", s.TotalInterest);
            Amount(w, "totalPayment", s.TotalPayment);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void Amount(Utf8JsonWriter w, string name, decimal value)
    {
        w.WritePropertyName(name);
        w.WriteRawValue(value.ToString("0.00", CultureInfo.InvariantCulture));
    }

    /// <summary>A plain-text table for the terminal.</summary>
    public static string Table(RepaymentSchedule s)
    {
        var ci = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(ci, $"{s.Method}  principal {s.Principal.ToString("#,##0.00", ci)}  annual rate {(s.AnnualRate * 100m).ToString("0.####", ci)} %  {s.Months} months  start {s.StartDate.ToString("yyyy-MM-dd", ci)}");
        sb.AppendLine(ci, $"{"No.",4}  {"Due date",-10}  {"Principal",14}  {"Interest",12}  {"Payment",14}  {"Balance after",14}");
        foreach (var l in s.Installments)
            sb.AppendLine(ci, $"{l.Number,4}  {l.DueDate.ToString("yyyy-MM-dd", ci),-10}  {l.Principal.ToString("#,##0.00", ci),14}  {l.Interest.ToString("#,##0.00", ci),12}  {l.Payment.ToString("#,##0.00", ci),14}  {l.BalanceAfter.ToString("#,##0.00", ci),14}");
        sb.AppendLine(ci, $"{"Total",-16}  {s.TotalPrincipal.ToString("#,##0.00", ci),14}  {s.TotalInterest.ToString("#,##0.00", ci),12}  {s.TotalPayment.ToString("#,##0.00", ci),14}");
        return sb.ToString();
    }
}
