namespace LoanOffice.Domain.Common;

/// <summary>
/// An expected refusal: a stable code (see <see cref="ErrorCodes"/>) with the arguments its text needs. People read the
/// code's text in their language (the Web's resx files, key <c>Error.&lt;Code&gt;</c>); <see cref="Message"/> is an
/// English fallback for logs and for codes not yet given a text.
/// </summary>
public sealed record Error(string Code, string Message)
{
    /// <summary>The input field the error is about, when there is one (for field-level messages and problem details).</summary>
    public string? Field { get; init; }

    /// <summary>The values the code's text is formatted with ({0}, {1}, …): dates, amounts, names, enum values.</summary>
    public IReadOnlyList<object> Args { get; init; } = [];

    /// <summary>The record (a payment, a vote, …) the refusal is about, when it is one of several.</summary>
    public Guid? Subject { get; init; }

    /// <summary>Made by <see cref="Of"/>: the code's text is in the resources. Otherwise the message is the text (older refusals).</summary>
    public bool HasCodeText { get; init; }

    /// <summary>A refusal by code; its text comes from the resources.</summary>
    public static Error Of(string code, params object[] args) =>
        new(code, args.Length == 0 ? code : code + ": " + string.Join(", ", args.Select(ArgText))) { Args = args, HasCodeText = true };

    public Error At(string field) => this with { Field = field };

    /// <summary>The other fields' errors found in the same pass (a form shows every one at once).</summary>
    public IReadOnlyList<Error> Also { get; init; } = [];

    /// <summary>This error and the others found with it.</summary>
    public IEnumerable<Error> All => [this, .. Also];

    /// <summary>The error of <paramref name="field"/>, among all found in the pass.</summary>
    public Error? ForField(string field) => All.FirstOrDefault(e => e.Field == field);

    /// <summary>Every error of a pass as one (the first leads, the rest ride along), or null when there is none.</summary>
    public static Error? Combine(IReadOnlyList<Error> errors) => errors.Count == 0 ? null : errors[0] with { Also = [.. errors.Skip(1)] };

    // A code names its kind by its last part, so pages and problem details can tell them apart:
    // ….NotFound; ….Forbidden / OutOfScope / FourEyes / …Only / …NotAllowed / NotSignedIn; ….Changed / …Conflict.
    public bool IsNotFound => Code == ErrorCodes.NotFound || Code.EndsWith("NotFound", StringComparison.Ordinal);

    public bool IsForbidden => Code == ErrorCodes.Forbidden || Code.EndsWith(".Forbidden", StringComparison.Ordinal)
        || Code.EndsWith("OutOfScope", StringComparison.Ordinal) || Code.EndsWith("FourEyes", StringComparison.Ordinal)
        || Code.EndsWith("Only", StringComparison.Ordinal) || Code.EndsWith("NotAllowed", StringComparison.Ordinal)
        || Code.EndsWith("NotSignedIn", StringComparison.Ordinal);

    public bool IsConflict => Code == ErrorCodes.Conflict || Code == ErrorCodes.IntakeRetry || Code.EndsWith(".Changed", StringComparison.Ordinal)
        || Code.EndsWith("ChangedSinceOpened", StringComparison.Ordinal) || Code.EndsWith("Conflict", StringComparison.Ordinal);
    public Error About(Guid subject) => this with { Subject = subject };

    public static Error ForField(string field, string message) => new("validation", message) { Field = field };
    public static Error NotFound(string what) => new("not_found", $"{what} was not found.");
    public static Error Forbidden(string message) => new("forbidden", message);
    public static Error Validation(string message) => new("validation", message);
    public static Error Conflict(string message) => new("conflict", message);

    private static string ArgText(object arg) => arg switch
    {
        DateOnly d => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        decimal m => m.ToString("#,##0.00", System.Globalization.CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => arg.ToString() ?? string.Empty,
    };
}

/// <summary>Outcome of a command that may be refused for a business reason.</summary>
public class Result
{
    protected Result(Error? error) => Error = error;

    public Error? Error { get; }
    public bool IsSuccess => Error is null;

    public static Result Success() => new(null);
    public static Result Failure(Error error) => new(error);
    public static Result<T> Success<T>(T value) => new(value, null);
    public static Result<T> Failure<T>(Error error) => new(default, error);
    public static implicit operator Result(Error error) => new(error);
}

public sealed class Result<T> : Result
{
    internal Result(T? value, Error? error) : base(error) => Value = value;

    public T? Value { get; }

    public static implicit operator Result<T>(T value) => new(value, null);
    public static implicit operator Result<T>(Error error) => new(default, error);
}
