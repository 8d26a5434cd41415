using System.Globalization;
using System.Text;
using System.Text.Json;
using LoanOffice.Domain.Common;
using LoanOffice.Domain.Loans;

namespace LoanOffice.Web.Features.Calculator;

/// <summary>
/// The simulator's JSON (./loanoffice simulate, POST /api/v1/calculator/simulate, the calculator's 试算 tab): reads a
/// scenario — amounts and rates as strings or numbers, dates yyyy-MM-dd — naming the field of the first bad value, and
/// writes the result: amounts with two decimals, accruals unrounded with six.
/// </summary>
public static class SimulationJson
{
    public static Result<SimulationScenario> Read(string json)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException)
        {
            return Error.Of(ErrorCodes.NotJson).At("input");
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return Error.Of(ErrorCodes.NotJson).At("input");
            try
            {
                var method = Enum<RepaymentMethod>(root, "method", required: true)!.Value;
                var terms = new LoanTerms(method, Number(root, "principal")!.Value, Number(root, "annualRate")!.Value, Integer(root, "months")!.Value,
                    Date(root, "disbursed")!.Value, Number(root, "penaltyMarkup", required: false) ?? 0m, Integer(root, "graceDays", required: false) ?? 0);
                var payments = Array(root, "payments", (e, f) => new SimulatedPayment(Date(e, "date", f)!.Value, Number(e, "amount", f)!.Value));
                var prepayments = Array(root, "prepayments", (e, f) => new SimulatedPrepayment(Date(e, "date", f)!.Value, Number(e, "principal", f)!.Value,
                    Enum<PrepaymentOption>(e, "option", true, f)!.Value));
                var reversals = Array(root, "reversals", (e, f) => e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out var n) ? n : throw Bad(ErrorCodes.NotANumber, f, e));
                var classes = Array(root, "manualClass", (e, f) => new SimulatedClass(Date(e, "date", f)!.Value, Enum<LoanClass>(e, "class", true, f)!.Value));
                var asOf = Date(root, "asOf")!.Value;
                return new SimulationScenario(terms, payments, prepayments, reversals, classes, asOf);
            }
            catch (InputException ex)
            {
                return ex.Error;
            }
        }
    }

    public static string Write(SimulationResult r)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("asOf", Iso(r.AsOf));
            w.WriteNumber("dpd", r.DaysPastDue);
            w.WriteString("class", r.Class.ToString());
            w.WriteString("status", r.Status.ToString());
            w.WriteStartArray("installments");
            foreach (var i in r.Installments)
            {
                w.WriteStartObject();
                w.WriteNumber("number", i.Number);
                w.WriteString("dueDate", Iso(i.DueDate));
                Money(w, "principal", i.Principal);
                Money(w, "interest", i.Interest);
                Money(w, "paidPrincipal", i.PaidPrincipal);
                Money(w, "paidInterest", i.PaidInterest);
                w.WriteString("state", i.State.ToString());
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("payments");
            foreach (var p in r.Payments)
            {
                w.WriteStartObject();
                w.WriteString("date", Iso(p.Date));
                Money(w, "amount", p.Amount);
                Money(w, "penalty", p.Penalty);
                Money(w, "compound", p.Compound);
                Money(w, "interest", p.Interest);
                Money(w, "principal", p.Principal);
                if (p.Reversed) w.WriteBoolean("reversed", true);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("prepayments");
            foreach (var p in r.Prepayments)
            {
                w.WriteStartObject();
                w.WriteString("date", Iso(p.Date));
                Money(w, "principal", p.Principal);
                w.WriteString("option", p.Option.ToString());
                w.WriteNumber("days", p.Days);
                Money(w, "interestForDays", p.InterestForDays);
                Money(w, "total", p.TotalPaid);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteNumber("penaltyAccrued", Math.Round(r.PenaltyAccrued, OverdueAccrual.AccrualDecimals) + 0.000000m);
            w.WriteNumber("compoundAccrued", Math.Round(r.CompoundAccrued, OverdueAccrual.AccrualDecimals) + 0.000000m);
            Money(w, "penaltyDue", r.PenaltyDue);
            Money(w, "compoundDue", r.CompoundDue);
            w.WriteStartObject("payoff");
            Money(w, "principal", r.Payoff.Principal);
            Money(w, "interest", r.Payoff.Interest);
            Money(w, "penalty", r.Payoff.Penalty);
            Money(w, "compound", r.Payoff.Compound);
            Money(w, "total", r.Payoff.Total);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void Money(Utf8JsonWriter w, string name, decimal amount) => w.WriteNumber(name, MoneyRules.RoundToFen(amount) + 0.00m);

    private static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private sealed class InputException(Error error) : Exception(error.Message)
    {
        public Error Error { get; } = error;
    }

    private static InputException Bad(string code, string field, JsonElement value) =>
        new(Error.Of(code, value.ValueKind == JsonValueKind.String ? value.GetString() ?? "" : value.GetRawText()).At(field));

    private static string Path(string? parent, string name) => parent is null ? name : parent + "." + name;

    private static JsonElement? Get(JsonElement obj, string name, bool required, string? parent)
    {
        if (obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null) return v;
        if (required) throw new InputException(Error.Of(ErrorCodes.Required, Path(parent, name)).At(Path(parent, name)));
        return null;
    }

    private static decimal? Number(JsonElement obj, string name, string? parent = null, bool required = true)
    {
        if (Get(obj, name, required, parent) is not { } v) return null;
        var field = Path(parent, name);
        if (v.ValueKind == JsonValueKind.Number && v.TryGetDecimal(out var n)) return n;
        if (v.ValueKind == JsonValueKind.String && decimal.TryParse(v.GetString(), NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var s)) return s;
        throw Bad(ErrorCodes.NotANumber, field, v);
    }

    private static int? Integer(JsonElement obj, string name, bool required = true, string? parent = null)
    {
        if (Get(obj, name, required, parent) is not { } v) return null;
        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n)) return n;
        if (v.ValueKind == JsonValueKind.String && int.TryParse(v.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var s)) return s;
        throw Bad(ErrorCodes.NotANumber, Path(parent, name), v);
    }

    private static DateOnly? Date(JsonElement obj, string name, string? parent = null)
    {
        var v = Get(obj, name, true, parent)!.Value;
        if (v.ValueKind == JsonValueKind.String && DateOnly.TryParseExact(v.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return d;
        throw Bad(ErrorCodes.NotADate, Path(parent, name), v);
    }

    private static T? Enum<T>(JsonElement obj, string name, bool required, string? parent = null) where T : struct, Enum
    {
        if (Get(obj, name, required, parent) is not { } v) return null;
        if (v.ValueKind == JsonValueKind.String && System.Enum.TryParse<T>(v.GetString(), ignoreCase: false, out var e) && System.Enum.IsDefined(e)
            && !int.TryParse(v.GetString(), out _))
            return e;
        throw new InputException(Error.Of(ErrorCodes.NotOneOf, v.ValueKind == JsonValueKind.String ? v.GetString() ?? "" : v.GetRawText(),
            string.Join(", ", System.Enum.GetNames<T>())).At(Path(parent, name)));
    }

    private static List<T> Array<T>(JsonElement root, string name, Func<JsonElement, string, T> read)
    {
        if (Get(root, name, false, null) is not { } v) return [];
        if (v.ValueKind != JsonValueKind.Array) throw new InputException(Error.Of(ErrorCodes.NotOneOf, v.GetRawText(), "[…]").At(name));
        var list = new List<T>();
        var index = 0;
        foreach (var e in v.EnumerateArray())
        {
            list.Add(read(e, $"{name}[{index}]"));
            index++;
        }

        return list;
    }
}
